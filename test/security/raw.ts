/**
 * The attacker's side of the wire, written from docs/PROTOCOL.md alone (no
 * Peerix signaling code): namespaces, key derivation, v2 envelopes, the few
 * message bodies and in-band frames the attacks need.
 */
import { MemoryDriver, type DriverMessage } from '../../src/index.js';

const enc = new TextEncoder();

export function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromB64url(text: string): Uint8Array {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

export async function roomNs(room: string): Promise<string> {
  return b64url((await sha256(enc.encode('peerix/ns/' + room))).subarray(0, 16));
}

/** Room key and pair salt (HKDF, no PBKDF2), as "Key derivation" in docs/SECURITY.md gives them. */
export async function roomKeys(room: string, secret: string): Promise<{ roomKey: CryptoKey; pairSalt: Uint8Array }> {
  const salt = await sha256(enc.encode('peerix/room/' + room));
  const base = await crypto.subtle.importKey('raw', enc.encode(secret) as Uint8Array<ArrayBuffer>, 'HKDF', false, ['deriveKey', 'deriveBits']);
  const roomKey = await crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt, info: enc.encode('peerix room key v2') }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt']);
  const pairSalt = new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info: enc.encode('peerix pair salt v2') }, base, 256));
  return { roomKey, pairSalt };
}

/** An attacker identity: a P-256 key pair, its id, and a session nonce. */
export interface RawIdentity {
  id: string;
  publicKey: Uint8Array;
  privateKey: CryptoKey;
  session: Uint8Array;
}

export async function rawIdentity(): Promise<RawIdentity> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const publicKey = new Uint8Array(33);
  publicKey[0] = 0x02 | (raw[64]! & 1);
  publicKey.set(raw.subarray(1, 33), 1);
  return { id: b64url(publicKey), publicKey, privateKey: pair.privateKey, session: crypto.getRandomValues(new Uint8Array(8)) };
}

/** The pair key between `own` and the peer `remoteId` in session `remoteSession`, with a given pair salt. */
export async function pairKey(own: RawIdentity, remoteId: string, remoteSession: Uint8Array, pairSalt: Uint8Array): Promise<CryptoKey> {
  const c = fromB64url(remoteId);
  // Decompress: y² = x³ − 3x + b over P-256, y = (rhs)^((p+1)/4).
  const p = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
  const b = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
  const x = BigInt('0x' + [...c.subarray(1)].map((v) => v.toString(16).padStart(2, '0')).join(''));
  const pow = (base: bigint, e: bigint): bigint => {
    let r = 1n;
    base %= p;
    for (; e > 0n; e >>= 1n, base = (base * base) % p) if (e & 1n) r = (r * base) % p;
    return r;
  };
  let y = pow((((x * x * x - 3n * x + b) % p) + p) % p, (p + 1n) / 4n);
  if (Number(y & 1n) !== (c[0]! & 1)) y = p - y;
  const hex = (n: bigint) => Uint8Array.from(n.toString(16).padStart(64, '0').match(/../g)!, (h) => parseInt(h, 16));
  const raw = new Uint8Array(65);
  raw[0] = 4;
  raw.set(hex(x), 1);
  raw.set(hex(y), 33);
  const pub = await crypto.subtle.importKey('raw', raw, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const shared = new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: pub }, own.privateKey, 256));
  const mine = { id: own.id, s: b64url(own.session) };
  const theirs = { id: remoteId, s: b64url(remoteSession) };
  const [lo, hi] = mine.id < theirs.id ? [mine, theirs] : [theirs, mine];
  const base = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: pairSalt as Uint8Array<ArrayBuffer>, info: enc.encode(`peerix pair key v2\0${lo.id}\0${hi.id}\0${lo.s}\0${hi.s}`) },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt'],
  );
}

// ── protobuf-style bodies ──

export class Proto {
  readonly bytes: number[] = [];
  varint(n: number): this {
    while (n > 127) {
      this.bytes.push((n % 128) | 128);
      n = Math.floor(n / 128);
    }
    this.bytes.push(n);
    return this;
  }
  uint(field: number, n: number): this {
    return this.varint(field << 3).varint(n);
  }
  bytesField(field: number, value: Uint8Array | number[]): this {
    this.varint((field << 3) | 2).varint(value.length);
    this.bytes.push(...value);
    return this;
  }
  string(field: number, text: string): this {
    return this.bytesField(field, enc.encode(text));
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export const KIND = { Announce: 1, Offer: 2, Answer: 3, Candidates: 4, Bye: 5, Description: 16, ChannelOpen: 18, Streams: 20, Negotiate: 25 } as const;

/** Offer body: a full-text CompactDescription (field 2) and metadata. */
export function offerBody(sdp: string, metadata?: string): Uint8Array {
  const description = new Proto().uint(1, 1).string(2, sdp).finish();
  const body = new Proto().bytesField(1, description);
  if (metadata !== undefined) body.string(2, metadata);
  return body.finish();
}

/** An in-band frame: kind byte ‖ body. */
export function frame(kind: number, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(body.length + 1);
  out[0] = kind;
  out.set(body, 1);
  return out;
}

export interface SealOptions {
  kind: number;
  body: Uint8Array;
  sender: { publicKey: Uint8Array; session: Uint8Array };
  /** Room key (broadcast) or pair key (addressed). */
  key: CryptoKey;
  /** The recipient id for an addressed envelope; absent for a broadcast on `ns`. */
  recipient?: string;
  ns: string;
  version?: number;
  timestamp?: number;
}

/** A v2 envelope: header (55 bytes), then AES-GCM(varint(timestamp) ‖ body) with AAD = header ‖ recipient id or ns. */
export async function seal(o: SealOptions): Promise<DriverMessage> {
  const header = new Uint8Array(55);
  header[0] = ((o.version ?? 2) << 4) | 1 | (o.recipient ? 4 : 0);
  header[1] = o.kind;
  header.set(o.sender.publicKey, 2);
  header.set(o.sender.session, 35);
  crypto.getRandomValues(header.subarray(43, 55));
  const plain = [...new Proto().varint(o.timestamp ?? Date.now()).finish(), ...o.body];
  const aad = [...header, ...enc.encode(o.recipient ?? o.ns)];
  const cipher = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv: header.slice(43, 55), additionalData: Uint8Array.from(aad) }, o.key, Uint8Array.from(plain)),
  );
  return [...header, ...cipher];
}

/** Sender id and session of an envelope the broker carried. */
export function headerOf(message: DriverMessage): { version: number; kind: number; id: string; session: Uint8Array } {
  const bytes = Uint8Array.from(message);
  return { version: bytes[0]! >> 4, kind: bytes[1]!, id: b64url(bytes.subarray(2, 35)), session: bytes.slice(35, 43) };
}

/** A MemoryDriver that acts as a hostile broker: it records, can withhold, and injects. */
export class HostileBroker extends MemoryDriver {
  readonly log: { key: string; message: DriverMessage }[] = [];
  /** Return true to withhold a message (it is still logged). */
  withhold: (key: string, message: DriverMessage) => boolean = () => false;

  override publish(namespace: string[], message: DriverMessage): void {
    const key = this.keyOf(namespace);
    this.log.push({ key, message: message.slice() });
    if (!this.withhold(key, message)) super.publish(namespace, message);
  }

  inject(namespace: string[], message: DriverMessage): void {
    this.deliver(this.keyOf(namespace), message);
  }

  /** What went to `namespace` so far. */
  sentTo(namespace: string[]): DriverMessage[] {
    const key = this.keyOf(namespace);
    return this.log.filter((e) => e.key === key).map((e) => e.message);
  }
}

/** A data-channel offer SDP from a raw RTCPeerConnection (the caller closes `pc`). */
export async function rawOffer(): Promise<{ pc: RTCPeerConnection; sdp: string }> {
  const pc = new RTCPeerConnection();
  pc.createDataChannel('peerix', { negotiated: true, id: 0 });
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((r) => setTimeout(r, 300));
  return { pc, sdp: pc.localDescription!.sdp };
}
