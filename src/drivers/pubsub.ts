import { Driver, fromDriverMessage, handOver, TAKES_BYTES, type DriverHandler, type DriverMessage } from './driver.js';
import { PeerixError, toPeerixError, type ErrorMessage } from '../errors.js';
import { base64urlDecode } from '../signaling/encoding.js';

/** Messages a driver holds while its transport is down; more is an `error`, never a silent loss. */
export const OUTBOX_LIMIT = 256;

/** Received payloads larger than this are dropped with `ERR_TOO_LARGE` (signaling messages are ~1 KB). */
export const MAX_MESSAGE_BYTES = 65536;

/**
 * Shared plumbing of the broker drivers: handlers per topic with one broker
 * subscription per topic (reference counted), a bounded outbox for messages
 * published while the transport is down, and delivery that turns garbage
 * into `error` events instead of exceptions.
 *
 * A subclass maps namespaces to topics (`topic`), opens and closes broker
 * subscriptions (`open`, `close`), sends (`send`), and calls `ready(bool)`
 * as its client connects and disconnects.
 */
export abstract class PubSubDriver extends Driver {
  override readonly [TAKES_BYTES] = true;
  /** Topic → handlers. A topic is in this map exactly while the broker subscription is wanted. */
  protected readonly subs = new Map<string, Set<DriverHandler>>();
  #outbox: [string, Uint8Array][] = [];

  protected abstract topic(namespace: string[]): string;
  /** Subscribes on the broker: the first handler of `topic` arrived. */
  protected abstract open(topic: string): void | Promise<void>;
  /** Unsubscribes on the broker: the last handler of `topic` left. */
  protected abstract close(topic: string): void | Promise<void>;
  /** Sends one message (bytes that no one changes afterwards); only called while `active`. */
  protected abstract send(topic: string, message: Uint8Array): void | Promise<void>;

  subscribe(namespace: string[], handler: DriverHandler): Promise<void> | void {
    const topic = this.topic(namespace);
    const set = this.subs.get(topic);
    if (set) return void set.add(handler);
    this.subs.set(topic, new Set([handler]));
    return this.guard(() => this.open(topic), `subscribe to ${topic}`);
  }

  unsubscribe(namespace: string[], handler: DriverHandler): Promise<void> | void {
    const topic = this.topic(namespace);
    const set = this.subs.get(topic);
    if (!set?.delete(handler) || set.size) return;
    this.subs.delete(topic);
    return this.guard(() => this.close(topic), `unsubscribe from ${topic}`);
  }

  override publish(namespace: string[], message: DriverMessage | Uint8Array): Promise<void> | void {
    const topic = this.topic(namespace);
    let bytes: Uint8Array;
    try {
      bytes = whole(fromDriverMessage(message));
    } catch (error) {
      return this.fail(`publish to ${topic}`, error);
    }
    if (this.active) return this.guard(() => this.send(topic, bytes), `publish to ${topic}`);
    this.hold(topic, bytes);
  }

  /** Keeps a message for later; past the limit the message is reported, not kept. */
  protected hold(topic: string, message: Uint8Array): void {
    if (this.#outbox.length < OUTBOX_LIMIT) this.#outbox.push([topic, message]);
    else this.reportError(new PeerixError('ERR_DRIVER', `outbox full (${OUTBOX_LIMIT}): dropped a message for ${topic}`));
  }

  /** Sets `active`; on true, sends what was held while the transport was down. */
  protected ready(active: boolean): void {
    this.active = active;
    if (!active) return;
    const held = this.#outbox;
    this.#outbox = [];
    for (const [topic, message] of held) {
      if (this.active) void this.guard(() => this.send(topic, message), `publish to ${topic}`);
      else this.hold(topic, message);
    }
  }

  /** Reports a failed transport call as an `ERR_DRIVER` event. */
  protected fail(what: ErrorMessage, error?: unknown): void {
    this.reportError(toPeerixError(error ?? new Error('refused by the server'), 'ERR_DRIVER', `${this.constructor.name}: ${what} failed`));
  }

  /** Runs a transport call; a throw or a rejection becomes an `ERR_DRIVER` event. */
  protected guard(fn: () => void | Promise<void>, what: ErrorMessage): Promise<void> | void {
    try {
      const result = fn();
      if (result) return result.catch((error: unknown) => this.fail(what, error));
    } catch (error) {
      this.fail(what, error);
    }
  }

  /**
   * Hands a received payload to the handlers of `topic`. `read` turns the
   * transport's payload into bytes and may throw: that is reported as
   * `ERR_DECODE`, as is an empty or oversized payload. Each handler gets its
   * own copy: the payload may be a view on a buffer the client reuses.
   */
  protected deliver(topic: string, payload: unknown, read: (payload: unknown) => Uint8Array = fromDriverMessage): void {
    const set = this.subs.get(topic);
    if (!set) return;
    let bytes: Uint8Array;
    try {
      bytes = read(payload);
      if (!bytes.length) throw new PeerixError('ERR_DECODE', 'empty message');
      if (bytes.length > MAX_MESSAGE_BYTES) throw new PeerixError('ERR_TOO_LARGE', `message of ${bytes.length} bytes`);
    } catch (error) {
      return this.reportError(toPeerixError(error, 'ERR_DECODE', `${this.constructor.name}: bad message on ${topic}`));
    }
    for (const handler of [...set]) {
      if (!set.has(handler)) continue;
      try {
        handOver(handler, bytes);
      } catch (error) {
        this.reportError(toPeerixError(error, 'ERR_DRIVER', `a handler of ${topic} threw`));
      }
    }
  }

  /** Forgets every handler and held message; subclasses remove their broker state first. */
  override destroy(): void | Promise<void> {
    this.subs.clear();
    this.#outbox = [];
    this.active = false;
  }
}

/** `bytes` over a buffer of its own: clients may send the whole underlying buffer of a view. */
function whole(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

/** Reads `{ m: base64url }`, the JSON wrapper of the text-only transports. */
export function fromJson64(payload: unknown): Uint8Array {
  return base64urlDecode((payload as { m?: unknown } | null)?.m);
}
