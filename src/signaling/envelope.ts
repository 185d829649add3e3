/**
 * The sealed envelope a broker carries (docs/PROTOCOL.md, "Wire format" and
 * "Cryptography"):
 *
 *   byte 0      version (2) << 4 | flags (bit0 encrypted, bit1 compressed, bit2 addressed)
 *   byte 1      message kind
 *   bytes 2–34  sender's compressed public key (its peer id)
 *   bytes 35–42 sender's session nonce (fresh per join)
 *   bytes 43–54 random 96-bit IV (also the replay nonce when not encrypted)
 *   bytes 55–   body: [varint timestamp ‖ message] → deflate-raw if smaller → AES-GCM
 *
 * AAD = header ‖ UTF-8(recipient id, or the room namespace for broadcasts),
 * so a broadcast cannot be replayed as a direct message, moved to another
 * room's namespace, re-addressed, or re-attributed to another sender or session.
 * Addressed messages use the pair key of both peers' current sessions.
 */
import { PeerixError, type ErrorMessage } from '../errors.js';
import { decodeMessage, encodeMessage, isKindNumber, kindNumber, MAX_BODY_BYTES, Reader, Writer } from './codec.js';
import { decompress, maybeCompress } from './compression.js';
import { publicKeyFromId, toBuffer, utf8 } from './crypto.js';
import type { Identity } from './crypto.js';
import { base64urlDecode, base64urlEncode } from './encoding.js';
import { SESSION_BYTES, type PairKeys } from './keys.js';
import type { SignalMessage } from './messages.js';
import { ReplayCache } from './replay.js';

/** Signaling protocol version (docs/PROTOCOL.md). Version 1 had no sessions and no secret in pair keys. */
export const ENVELOPE_VERSION = 2;
export const FLAG_ENCRYPTED = 1;
export const FLAG_COMPRESSED = 2;
export const FLAG_ADDRESSED = 4;
const SENDER_AT = 2;
const SESSION_AT = SENDER_AT + 33;
const IV_AT = SESSION_AT + SESSION_BYTES;
export const HEADER_BYTES = IV_AT + 12;
export const TAG_BYTES = 16;
/** Largest envelope accepted or produced. */
export const MAX_ENVELOPE_BYTES = 65536;

/**
 * Below this, deflate gains a few bytes at most (compact descriptions, candidate batches:
 * `npm run bench:codec`) and the stream compressor's round trip costs milliseconds on
 * the critical path of every connection: skip the attempt.
 */
const COMPRESS_MIN_BYTES = 200;

export interface EnvelopeOptions {
  identity: Identity;
  roomNamespace: string;
  roomKey: CryptoKey;
  /** Pair keys of this session (they hold this peer's session nonce). */
  pairKeys: PairKeys;
  encryption: boolean;
  compression: boolean;
  /** Accepted clock difference, both ways. Default 60 000 ms. */
  freshnessMs?: number;
  /** Replay memory; pass the same one to every session of an identity. Default: a new one of `replayBound`. */
  replay?: ReplayCache;
  /** Most (sender, IV) pairs remembered when no `replay` is given. Default 4096. */
  replayBound?: number;
  /** Clock, ms since the epoch (tests and clock-skew handling). Default `Date.now`. */
  now?: () => number;
}

export interface OpenedEnvelope {
  sender: string;
  /** The sender's session nonce (base64url). */
  session: string;
  /** The sender's clock when it sealed the message (ms since the epoch). */
  timestamp: number;
  message: SignalMessage;
  /** True when the message was addressed to this peer alone. */
  addressed: boolean;
}

function fail(code: 'ERR_DECODE' | 'ERR_UNEXPECTED' | 'ERR_AUTH' | 'ERR_STALE' | 'ERR_REPLAY' | 'ERR_TOO_LARGE' | 'ERR_VERSION', message: ErrorMessage, peerId?: string): PeerixError {
  return new PeerixError(code, message, peerId === undefined ? {} : { peerId });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export class Envelopes {
  private readonly options: EnvelopeOptions;
  private readonly freshnessMs: number;
  private readonly now: () => number;
  private readonly replay: ReplayCache;
  private readonly session: Uint8Array;

  constructor(options: EnvelopeOptions) {
    this.options = options;
    this.freshnessMs = options.freshnessMs ?? 60_000;
    this.replay = options.replay ?? new ReplayCache(options.replayBound ?? 4096);
    this.now = options.now ?? Date.now;
    this.session = base64urlDecode(options.pairKeys.session);
    if (this.session.length !== SESSION_BYTES) throw new PeerixError('ERR_INVALID_ARGUMENT', `a session nonce is ${SESSION_BYTES} bytes`);
  }

  /** Number of remembered (sender, session, IV) nonces. */
  get replayEntries(): number {
    return this.replay.size;
  }

  /** Starts deriving (and caching) the pair key with `peer` in `session`; only with encryption on. */
  warmKey(peer: string, session: string): void {
    if (this.options.encryption) this.options.pairKeys.get(peer, session).catch(() => {});
  }

  /** Seals `msg` for the room (no recipient) or for one peer in its session `recipientSession`. */
  async seal(msg: SignalMessage, recipient?: string, recipientSession?: string): Promise<Uint8Array> {
    const { identity, encryption, compression } = this.options;
    const addressed = recipient !== undefined;
    if (addressed) await publicKeyFromId(recipient); // fail early on a bad id, with or without encryption
    const w = new Writer();
    w.varint(Math.max(0, Math.floor(this.now())));
    w.raw(encodeMessage(msg));
    let body = w.finish();
    let compressed = false;
    if (compression && body.length >= COMPRESS_MIN_BYTES) {
      try {
        ({ bytes: body, compressed } = await maybeCompress(body));
      } catch {
        // Compression is an optimisation: send uncompressed.
      }
    }
    const header = new Uint8Array(HEADER_BYTES);
    header[0] = (ENVELOPE_VERSION << 4) | (encryption ? FLAG_ENCRYPTED : 0) | (compressed ? FLAG_COMPRESSED : 0) | (addressed ? FLAG_ADDRESSED : 0);
    header[1] = kindNumber(msg);
    header.set(identity.publicKey, SENDER_AT);
    header.set(this.session, SESSION_AT);
    crypto.getRandomValues(header.subarray(IV_AT, HEADER_BYTES));
    if (encryption) {
      if (addressed && recipientSession === undefined) throw new PeerixError('ERR_INVALID_STATE', 'an addressed message needs the recipient\'s session', { peerId: recipient });
      const key = addressed ? await this.options.pairKeys.get(recipient, recipientSession!) : this.options.roomKey;
      try {
        body = new Uint8Array(
          await crypto.subtle.encrypt(
            { name: 'AES-GCM', iv: header.slice(IV_AT, HEADER_BYTES), additionalData: this.aad(header, recipient) },
            key,
            toBuffer(body),
          ),
        );
      } catch (error) {
        throw new PeerixError('ERR_AUTH', 'encryption failed', { cause: error });
      }
    }
    const sealed = concat(header, body);
    if (sealed.length > MAX_ENVELOPE_BYTES) throw fail('ERR_TOO_LARGE', `sealed message of ${sealed.length} bytes is larger than ${MAX_ENVELOPE_BYTES}`);
    return sealed;
  }

  /**
   * Opens and checks an envelope. Pass `recipient` (own id) when it arrived
   * on this peer's own namespace; leave it out for the room namespace.
   * Throws only PeerixError.
   */
  async open(bytes: Uint8Array, recipient?: string): Promise<OpenedEnvelope> {
    try {
      return await this.openUnchecked(bytes, recipient);
    } catch (error) {
      if (error instanceof PeerixError) throw error;
      throw new PeerixError('ERR_DECODE', 'malformed envelope', { cause: error });
    }
  }

  private async openUnchecked(bytes: Uint8Array, recipient: string | undefined): Promise<OpenedEnvelope> {
    if (!(bytes instanceof Uint8Array)) throw fail('ERR_DECODE', 'envelope must be bytes');
    if (bytes.length > MAX_ENVELOPE_BYTES) throw fail('ERR_TOO_LARGE', `envelope of ${bytes.length} bytes is larger than ${MAX_ENVELOPE_BYTES}`);
    if (bytes.length === 0) throw fail('ERR_DECODE', 'empty envelope');
    const version = bytes[0]! >> 4;
    if (version !== ENVELOPE_VERSION) {
      // Name the sender when the header is readable, so the app can tell who needs an upgrade.
      const sender = bytes.length >= SESSION_AT ? base64urlEncode(bytes.subarray(SENDER_AT, SESSION_AT)) : undefined;
      throw fail('ERR_VERSION', `a peer speaks signaling protocol v${version}; this Peerix speaks v${ENVELOPE_VERSION}: every peer in a room needs the same major Peerix version`, sender);
    }
    if (bytes.length < HEADER_BYTES + 1) throw fail('ERR_DECODE', 'envelope too short');
    const flags = bytes[0]! & 0x0f;
    if (flags & ~(FLAG_ENCRYPTED | FLAG_COMPRESSED | FLAG_ADDRESSED)) throw fail('ERR_DECODE', 'unknown envelope flags');
    const kind = bytes[1]!;
    if (!isKindNumber(kind)) throw fail('ERR_DECODE', `unknown message kind ${kind}`);
    const encrypted = (flags & FLAG_ENCRYPTED) !== 0;
    const addressed = (flags & FLAG_ADDRESSED) !== 0;
    if (addressed !== (recipient !== undefined)) {
      throw fail('ERR_UNEXPECTED', addressed ? 'a message addressed to one peer arrived on the room namespace' : 'a broadcast arrived on a peer namespace');
    }
    const header = bytes.subarray(0, HEADER_BYTES);
    const sender = base64urlEncode(bytes.subarray(SENDER_AT, SESSION_AT));
    const session = base64urlEncode(bytes.subarray(SESSION_AT, IV_AT));
    // The pair key needs a valid id. A broadcast's sender id is checked by whoever uses it
    // (an offer to it): skipping ~1 ms of point decompression per announce keeps floods cheap.
    if (addressed) await publicKeyFromId(sender); // ERR_INVALID_ID

    let body: Uint8Array = bytes.subarray(HEADER_BYTES);
    if (encrypted) {
      if (body.length < TAG_BYTES + 1) throw fail('ERR_DECODE', 'encrypted body too short', sender);
      const key = addressed ? await this.options.pairKeys.get(sender, session) : this.options.roomKey;
      try {
        body = new Uint8Array(
          await crypto.subtle.decrypt(
            { name: 'AES-GCM', iv: toBuffer(bytes.slice(IV_AT, HEADER_BYTES)), additionalData: this.aad(header, recipient) },
            key,
            toBuffer(body.slice()),
          ),
        );
      } catch {
        throw fail(
          'ERR_AUTH',
          addressed
            ? 'cannot authenticate a message from this peer (wrong room secret, or sealed for another session)'
            : 'cannot authenticate a room message (wrong room secret?)',
          sender,
        );
      }
    } else if (this.options.encryption) {
      throw fail('ERR_AUTH', 'unencrypted message refused: encryption is on (is the sender configured without encryption?)', sender);
    }
    if (flags & FLAG_COMPRESSED) body = await decompress(body, MAX_BODY_BYTES + 10);

    const r = new Reader(body);
    const timestamp = r.varint();
    const now = this.now();
    if (Math.abs(now - timestamp) > this.freshnessMs) {
      throw fail('ERR_STALE', `message time is ${Math.round((timestamp - now) / 1000)} s off this clock`, sender);
    }
    this.replay.remember(`${sender}.${session}.${base64urlEncode(bytes.subarray(IV_AT, HEADER_BYTES))}`, timestamp + this.freshnessMs, now, sender);
    const message = decodeMessage(kind, body.subarray(r.pos));
    return { sender, session, timestamp, message, addressed };
  }

  private aad(header: Uint8Array, recipient: string | undefined): Uint8Array<ArrayBuffer> {
    return concat(header, utf8(recipient ?? this.options.roomNamespace));
  }
}
