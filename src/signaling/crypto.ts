/**
 * Keys of a Peerix peer, with Web Crypto only (docs/PROTOCOL.md,
 * "Cryptography"):
 * - identity: an ECDH P-256 key pair; the peer id is the base64url text of
 *   the 33-byte compressed public key;
 * room and pair keys build on these in `keys.ts`.
 */
import { PeerixError } from '../errors.js';
import { base64urlDecode, base64urlEncode } from './encoding.js';

export interface Identity {
  /** base64url of `publicKey` (44 characters). */
  id: string;
  /** Compressed P-256 public key: 0x02/0x03 ‖ x, 33 bytes. */
  publicKey: Uint8Array;
  /** Non-extractable ECDH private key. */
  privateKey: CryptoKey;
}

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const textEncoder = new TextEncoder();

// P-256 (secp256r1) domain parameters.
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
const SQRT_EXPONENT = (P + 1n) / 4n; // p ≡ 3 (mod 4), so a square root is a^((p+1)/4)

export function toBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return textEncoder.encode(text) as Uint8Array<ArrayBuffer>;
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

function bigIntTo32Bytes(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** 65-byte uncompressed point (0x04 ‖ x ‖ y) → 33-byte compressed point. */
export function compressPoint(raw: Uint8Array): Uint8Array {
  if (raw.length !== 65 || raw[0] !== 0x04) throw new PeerixError('ERR_INVALID_ID', 'not an uncompressed P-256 point');
  const out = new Uint8Array(33);
  out[0] = 0x02 | (raw[64]! & 1);
  out.set(raw.subarray(1, 33), 1);
  return out;
}

/**
 * 33-byte compressed point → 65-byte uncompressed point, validating prefix,
 * range and that the point is on the curve. Throws ERR_INVALID_ID.
 */
export function decompressPoint(compressed: Uint8Array): Uint8Array {
  if (compressed.length !== 33) throw new PeerixError('ERR_INVALID_ID', 'a peer id must encode 33 bytes');
  const prefix = compressed[0];
  if (prefix !== 0x02 && prefix !== 0x03) throw new PeerixError('ERR_INVALID_ID', 'a peer id must start with 0x02 or 0x03');
  const x = bytesToBigInt(compressed.subarray(1));
  if (x >= P) throw new PeerixError('ERR_INVALID_ID', 'peer id x coordinate out of range');
  const rhs = (((x * x) % P) * x - 3n * x + B) % P;
  const alpha = rhs < 0n ? rhs + P : rhs;
  let y = modPow(alpha, SQRT_EXPONENT, P);
  if ((y * y) % P !== alpha) throw new PeerixError('ERR_INVALID_ID', 'peer id is not a point on P-256');
  if (Number(y & 1n) !== (prefix & 1)) y = P - y;
  const out = new Uint8Array(65);
  out[0] = 0x04;
  out.set(compressed.subarray(1), 1);
  out.set(bigIntTo32Bytes(y), 33);
  return out;
}

/** Makes a new identity: a P-256 key pair whose compressed public key is the peer id. */
export async function createIdentity(): Promise<Identity> {
  const pair = await crypto.subtle.generateKey(ECDH, false, ['deriveBits']);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const publicKey = compressPoint(raw);
  return { id: base64urlEncode(publicKey), publicKey, privateKey: pair.privateKey };
}

/** A small Map with insertion-order eviction; `get` refreshes recency. */
export class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly bound: number) {}

  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.bound) this.map.delete(this.map.keys().next().value as string);
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }
}

const publicKeys = new BoundedCache<Promise<CryptoKey>>(256);
/** Imports in flight; only successes enter the cache, so bad ids cannot evict good keys. */
const pendingPublicKeys = new Map<string, Promise<CryptoKey>>();

/** Decodes and validates a peer id into its public key. Throws ERR_INVALID_ID. */
export function publicKeyFromId(id: string): Promise<CryptoKey> {
  if (typeof id !== 'string' || id.length !== 44) {
    return Promise.reject(new PeerixError('ERR_INVALID_ID', 'a peer id is 44 base64url characters'));
  }
  const cached = publicKeys.get(id) ?? pendingPublicKeys.get(id);
  if (cached) return cached;
  const pending = importPublicKey(id);
  pendingPublicKeys.set(id, pending);
  pending.then(
    () => {
      pendingPublicKeys.delete(id);
      publicKeys.set(id, pending);
    },
    () => pendingPublicKeys.delete(id),
  );
  return pending;
}

async function importPublicKey(id: string): Promise<CryptoKey> {
  let compressed: Uint8Array;
  try {
    compressed = base64urlDecode(id);
  } catch (error) {
    throw new PeerixError('ERR_INVALID_ID', 'a peer id must be base64url', { cause: error });
  }
  // Chromium, Firefox and Node import the compressed point as it is, which spares a 256-bit
  // square root in BigInt (5–8 ms on a page's first offer, before the JIT warms up).
  const native = await crypto.subtle.importKey('raw', toBuffer(compressed), ECDH, true, []).catch(() => undefined);
  if (native) return native;
  // Refused: an engine without compressed points, or not a point on P-256 (decompressPoint
  // then says what is wrong).
  const raw = decompressPoint(compressed);
  try {
    return await crypto.subtle.importKey('raw', toBuffer(raw), ECDH, true, []);
  } catch (error) {
    throw new PeerixError('ERR_INVALID_ID', 'peer id was refused as a P-256 key', { cause: error });
  }
}

export async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

export async function hkdfAesKey(ikm: Uint8Array<ArrayBuffer>, salt: Uint8Array<ArrayBuffer>, info: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}
