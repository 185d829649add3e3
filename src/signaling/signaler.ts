import type { Driver, DriverHandler } from '../drivers/driver.js';
import { bytesHandler, fromDriverMessage, messageFor } from '../drivers/driver.js';
import { PeerixError, toPeerixError } from '../errors.js';
import { createDebug } from '../debug.js';
import type { Identity } from './crypto.js';
import { base64urlEncode } from './encoding.js';
import { Envelopes, type OpenedEnvelope } from './envelope.js';
import { createSession, deriveRoomKeys, PairKeys } from './keys.js';
import type { SignalMessage } from './messages.js';
import { peerNamespace, roomNamespace } from './namespace.js';
import type { ReplayCache } from './replay.js';

const debug = createDebug('peerix:signaler');

export interface SignalerOptions {
  driver: Driver;
  identity: Identity;
  room: string;
  secret: string;
  /** PBKDF2 iterations applied to the secret (0: HKDF only). */
  secretIterations: number;
  hashing: boolean;
  encryption: boolean;
  compression: boolean;
  /** The identity's replay memory, kept across sessions. */
  replay: ReplayCache;
  onMessage: (opened: OpenedEnvelope) => void;
  /** The broker echoed our latest broadcast: called in turn with `onMessage` (what was delivered before came first). */
  onEcho?: () => void;
  onError: (error: PeerixError) => void;
}

/**
 * The broker side of a room: subscribes to the room namespace (broadcasts)
 * and the peer's own namespace (messages addressed to it), seals what goes
 * out and opens what comes in. Bad input ends as an `onError` call, never a throw.
 */
export class Signaler {
  #options: SignalerOptions;
  #roomNs: string[] = [];
  #ownNs: string[] = [];
  #envelopes: Envelopes | null = null;
  #onRoom: DriverHandler = bytesHandler((message) => this.#receive(message, false));
  #onOwn: DriverHandler = bytesHandler((message) => this.#receive(message, true));
  #stopped = false;
  /** Our latest broadcast as sealed, to know its echo. */
  #broadcast: Uint8Array | null = null;
  /**
   * Sealing and opening are async (compression, encryption) and take longer for big
   * messages: an offer would leave after, or be delivered after, the candidates that
   * follow it. Both run at once, but messages are handed to the driver, and to
   * `onMessage`, in the order they were sent and received.
   */
  #handedOver: Promise<void> = Promise.resolve();
  #delivered: Promise<void> = Promise.resolve();
  /** This join's session nonce (base64url): fresh per Signaler, so per join. */
  readonly session = base64urlEncode(createSession());

  constructor(options: SignalerOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    const { driver, identity, room, secret, secretIterations, hashing, encryption, compression, replay } = this.#options;
    const ns = await roomNamespace(room, hashing);
    this.#roomNs = [ns];
    this.#ownNs = peerNamespace(ns, identity.id);
    const { roomKey, pairSalt } = await deriveRoomKeys(room, secret, secretIterations);
    const pairKeys = new PairKeys(identity, pairSalt, this.session);
    this.#envelopes = new Envelopes({ identity, roomNamespace: ns, roomKey, pairKeys, encryption, compression, replay });
    try {
      // Both at once: one broker round trip (one stream reopen for SSE) before the announce, not two.
      await Promise.all([driver.subscribe(this.#roomNs, this.#onRoom), driver.subscribe(this.#ownNs, this.#onOwn)]);
    } catch (error) {
      throw toPeerixError(error, 'ERR_DRIVER', 'the driver could not subscribe');
    }
  }

  /** Publishes to everyone in the room. */
  broadcast(message: SignalMessage): Promise<void> {
    return this.#publish(this.#roomNs, message);
  }

  /** Publishes to one peer in its session `session`, sealed with the pair key. */
  sendTo(peerId: string, session: string, message: SignalMessage): Promise<void> {
    return this.#publish(peerNamespace(this.#roomNs[0]!, peerId), message, peerId, session);
  }

  /** Derives the pair key with `peerId` in `session` now (cached); a failure shows when a message needs it. */
  warmKey(peerId: string, session: string): void {
    this.#envelopes?.warmKey(peerId, session);
  }

  async #publish(namespace: string[], message: SignalMessage, recipient?: string, session?: string): Promise<void> {
    const envelopes = this.#envelopes;
    if (!envelopes || this.#stopped) return;
    const sealing = envelopes.seal(message, recipient, session);
    const previous = this.#handedOver;
    let handOver!: () => void;
    this.#handedOver = new Promise<void>((resolve) => (handOver = resolve));
    try {
      const bytes = await sealing.finally(() => previous);
      if (this.#stopped) return;
      if (recipient === undefined) this.#broadcast = bytes.slice(); // a copy: drivers may hand the bytes on
      debug('publish', message.kind, 'to', recipient ?? 'room', bytes.length, 'bytes');
      const { driver } = this.#options;
      const publishing = driver.publish(namespace, messageFor(driver, bytes));
      handOver();
      await publishing;
    } catch (error) {
      this.#options.onError(toPeerixError(error, 'ERR_DRIVER', `could not publish ${message.kind}`, recipient));
    } finally {
      handOver(); // (again: harmless) the next message never waits for a failed one
    }
  }

  #receive(raw: unknown, addressed: boolean): void {
    const envelopes = this.#envelopes;
    if (!envelopes || this.#stopped) return;
    let bytes: Uint8Array;
    try {
      bytes = fromDriverMessage(raw);
    } catch (error) {
      this.#options.onError(toPeerixError(error, 'ERR_DECODE', 'unreadable driver message'));
      return;
    }
    if (isOwn(bytes, this.#options.identity.publicKey)) {
      // Brokers may echo our own messages; the echo of our announce orders the others' (glare.ts).
      if (!addressed && sameBytes(bytes, this.#broadcast)) this.#delivered = this.#delivered.then(() => this.#options.onEcho?.());
      return;
    }
    const opening = envelopes.open(bytes, addressed ? this.#options.identity.id : undefined);
    opening.catch(() => {}); // handled in turn below: not an unhandled rejection meanwhile
    this.#delivered = this.#delivered
      .then(() => opening)
      .then(
        (opened) => {
          if (this.#stopped) return;
          debug('receive', opened.message.kind, 'from', opened.sender.slice(0, 8));
          this.#options.onMessage(opened);
        },
        (error: unknown) => {
          if (!this.#stopped) this.#options.onError(toPeerixError(error, 'ERR_DECODE', 'dropped a signaling message'));
        },
      )
      .catch((error: unknown) => this.#options.onError(toPeerixError(error, 'ERR_UNEXPECTED', 'handling a signaling message failed')));
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const { driver } = this.#options;
    try {
      await driver.unsubscribe(this.#roomNs, this.#onRoom);
      await driver.unsubscribe(this.#ownNs, this.#onOwn);
    } catch (error) {
      this.#options.onError(toPeerixError(error, 'ERR_DRIVER', 'the driver could not unsubscribe'));
    }
  }
}

/** True when the envelope's sender key (bytes 2..34) is ours. */
function isOwn(bytes: Uint8Array, publicKey: Uint8Array): boolean {
  if (bytes.length < 2 + publicKey.length) return false;
  for (let i = 0; i < publicKey.length; i++) if (bytes[2 + i] !== publicKey[i]) return false;
  return true;
}

function sameBytes(a: Uint8Array, b: Uint8Array | null): boolean {
  return b !== null && a.length === b.length && a.every((byte, i) => byte === b[i]);
}
