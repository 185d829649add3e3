/**
 * Room and pair keys (docs/PROTOCOL.md and docs/SECURITY.md, "Key derivation").
 *
 * The room secret enters both: the room key directly, and every pair key
 * through the pair salt, so a peer without the secret can neither read the
 * room's broadcasts nor write or read anything addressed to a member. Pair
 * keys are also bound to both peers' session nonces (fresh on every join), so
 * nothing sealed in an earlier session of the same identity opens in a later one.
 */
import { PeerixError } from '../errors.js';
import { BoundedCache, hkdfAesKey, publicKeyFromId, sha256, utf8, type Identity } from './crypto.js';
import { base64urlEncode } from './encoding.js';

/** Bytes of a session nonce (a fresh random value per `join`). */
export const SESSION_BYTES = 8;
/** Most PBKDF2 iterations accepted for `secretIterations` (a guard against typos that hang the page). */
export const MAX_SECRET_ITERATIONS = 10_000_000;

export interface RoomKeys {
  /** AES-GCM-256 key for broadcasts on the room namespace. */
  roomKey: CryptoKey;
  /** 32 bytes mixed into every pair key: only holders of the secret have it. */
  pairSalt: Uint8Array<ArrayBuffer>;
}

/**
 * From the room name and secret:
 *   s        = secretIterations > 0 ? PBKDF2-SHA-256(secret, SHA-256('peerix/room/' ‖ room), secretIterations) : UTF-8(secret)
 *   roomKey  = HKDF-SHA-256(ikm = s, salt = SHA-256('peerix/room/' ‖ room), info = 'peerix room key v2')
 *   pairSalt = HKDF-SHA-256(ikm = s, salt = SHA-256('peerix/room/' ‖ room), info = 'peerix pair salt v2'), 32 bytes
 */
export async function deriveRoomKeys(room: string, secret = '', secretIterations = 0): Promise<RoomKeys> {
  if (!Number.isSafeInteger(secretIterations) || secretIterations < 0 || secretIterations > MAX_SECRET_ITERATIONS) {
    throw new PeerixError('ERR_INVALID_ARGUMENT', `secretIterations must be an integer from 0 to ${MAX_SECRET_ITERATIONS}`);
  }
  try {
    const salt = await sha256(utf8('peerix/room/' + room));
    let ikm = utf8(secret);
    if (secretIterations > 0) {
      const base = await crypto.subtle.importKey('raw', ikm, 'PBKDF2', false, ['deriveBits']);
      ikm = new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: secretIterations }, base, 256));
    }
    const base = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveKey', 'deriveBits']);
    const roomKey = await crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt, info: utf8('peerix room key v2') },
      base,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    );
    const pairSalt = new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info: utf8('peerix pair salt v2') }, base, 256));
    return { roomKey, pairSalt };
  } catch (error) {
    throw new PeerixError('ERR_INVALID_ARGUMENT', 'cannot derive the room keys', { cause: error });
  }
}

/** A fresh session nonce. */
export function createSession(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(SESSION_BYTES));
}

/**
 * Pair keys for messages addressed to one peer:
 *   shared  = ECDH(own private key, remote public key)
 *   pairKey = HKDF-SHA-256(ikm = shared, salt = pairSalt,
 *             info = 'peerix pair key v2' ‖ 0 ‖ lowId ‖ 0 ‖ highId ‖ 0 ‖ session(lowId) ‖ 0 ‖ session(highId))
 * with sessions in base64url. Both sides derive the same AES-GCM-256 key; it
 * needs both private-key holders, the room secret, and the two current sessions.
 * Cached by (remote id, remote session), at most `bound` entries.
 */
export class PairKeys {
  private readonly cache: BoundedCache<Promise<CryptoKey>>;
  /** Derivations in flight; only successes enter the bounded cache. */
  private readonly pending = new Map<string, Promise<CryptoKey>>();

  constructor(
    readonly identity: Identity,
    readonly pairSalt: Uint8Array<ArrayBuffer>,
    /** This peer's session (base64url). */
    readonly session: string,
    bound = 256,
  ) {
    this.cache = new BoundedCache(Math.max(1, bound));
  }

  get size(): number {
    return this.cache.size;
  }

  get(remoteId: string, remoteSession: string): Promise<CryptoKey> {
    const key = `${remoteId}.${remoteSession}`;
    const cached = this.cache.get(key) ?? this.pending.get(key);
    if (cached) return cached;
    const pending = this.derive(remoteId, remoteSession);
    this.pending.set(key, pending);
    pending.then(
      () => {
        this.pending.delete(key);
        this.cache.set(key, pending);
      },
      () => this.pending.delete(key),
    );
    return pending;
  }

  private async derive(remoteId: string, remoteSession: string): Promise<CryptoKey> {
    const remote = await publicKeyFromId(remoteId);
    try {
      const shared = new Uint8Array(
        await crypto.subtle.deriveBits({ name: 'ECDH', public: remote }, this.identity.privateKey, 256),
      );
      const own = { id: this.identity.id, session: this.session };
      const other = { id: remoteId, session: remoteSession };
      const [low, high] = own.id < other.id ? [own, other] : [other, own];
      return await hkdfAesKey(shared, this.pairSalt, utf8(`peerix pair key v2\0${low.id}\0${high.id}\0${low.session}\0${high.session}`));
    } catch (error) {
      throw new PeerixError('ERR_INVALID_ID', 'cannot derive a key with this peer', { cause: error, peerId: remoteId });
    }
  }
}

/**
 * A high-entropy room token (128 random bits, 22 base64url characters) to use
 * as a room `secret` or room name: with it, offline guessing is hopeless.
 */
export function createRoomToken(): string {
  return base64urlEncode(crypto.getRandomValues(new Uint8Array(16)));
}
