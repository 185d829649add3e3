/**
 * The wire format of file transfers on the `files` data channel.
 *
 * A file travels as a sequence of moderate messages, never as one: the sender
 * reads the next slice only when the channel has room, and the receiver keeps
 * each slice as a Blob part, so neither side holds the file in JS memory.
 *
 * - Control messages are JSON strings: `offer` (name, size, type), `end`
 *   (the file's checksum, hex), `abort` (the sender stopped),
 *   `decline` (the receiver stopped or refused, with a reason) and `done`
 *   (the receiver verified the hash).
 * - Data messages are binary: one byte `1`, the transfer id (u32, big
 *   endian), then up to {@link SLICE_SIZE} bytes of the file, in order.
 *
 * Transfer ids are chosen by the sender and unique per sender, so the
 * receiver keys its transfers by (remote id, transfer id).
 *
 * Checksum: WebCrypto has no incremental SHA-256, and hashing in JS costs the
 * main thread about a second per 64 MiB. So each side hashes every data
 * message's file bytes with `crypto.subtle.digest` (native, off the main
 * thread) and the checksum is SHA-256 of those 32-byte digests concatenated
 * in order — a one-level hash list over the slices as sent.
 */

/** Bytes of file per data message: under 1 MiB with the header (the engine chunks it further). */
export const SLICE_SIZE = 1024 * 1024 - 64;
/** Data messages a sender may have in flight per recipient before it waits. */
export const WINDOW = 2;
const DATA = 1;
const HEADER = 5;
/** Longest control message accepted. */
const MAX_CONTROL = 2048;
const MAX_NAME = 255;

export type DeclineReason = 'cancelled' | 'too-large' | 'busy' | 'hash-mismatch' | 'invalid';

export type Control =
  | { t: 'offer'; id: number; name: string; size: number; type: string }
  | { t: 'end'; id: number; checksum: string }
  | { t: 'abort'; id: number }
  | { t: 'decline'; id: number; reason: DeclineReason }
  | { t: 'done'; id: number };

const REASONS: ReadonlySet<string> = new Set(['cancelled', 'too-large', 'busy', 'hash-mismatch', 'invalid']);

export function encodeControl(message: Control): string {
  return JSON.stringify(message);
}

/** Frames `slice` of transfer `id` as one data message. */
export function encodeData(id: number, slice: Uint8Array): Uint8Array {
  const frame = new Uint8Array(HEADER + slice.length);
  frame[0] = DATA;
  new DataView(frame.buffer).setUint32(1, id);
  frame.set(slice, HEADER);
  return frame;
}

/** Splits a data message into its transfer id and bytes, or null when it is not one. */
export function decodeData(data: ArrayBuffer): { id: number; bytes: Uint8Array<ArrayBuffer> } | null {
  if (data.byteLength < HEADER) return null;
  const view = new DataView(data);
  if (view.getUint8(0) !== DATA) return null;
  return { id: view.getUint32(1), bytes: new Uint8Array(data, HEADER) };
}

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;

/** Parses a control message from a remote; anything malformed is null. */
export function decodeControl(text: string): Control | null {
  if (text.length > MAX_CONTROL) return null;
  let m: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object') return null;
    m = parsed as Record<string, unknown>;
  } catch {
    return null;
  }
  const { t, id } = m;
  if (!isId(id)) return null;
  switch (t) {
    case 'offer': {
      const { name, size, type } = m;
      if (typeof name !== 'string' || typeof type !== 'string' || typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return null;
      return { t, id, name: safeName(name), size, type: safeType(type) };
    }
    case 'end':
      return typeof m.checksum === 'string' && /^[0-9a-f]{64}$/.test(m.checksum) ? { t, id, checksum: m.checksum } : null;
    case 'decline':
      return typeof m.reason === 'string' && REASONS.has(m.reason) ? { t, id, reason: m.reason as DeclineReason } : null;
    case 'abort':
    case 'done':
      return { t, id };
    default:
      return null;
  }
}

/** A file name safe to show and to offer as a download name: no paths, no control characters. */
export function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').replace(/[/\\]/g, '_').trim();
  const cut = clean.slice(0, MAX_NAME);
  return cut && cut !== '.' && cut !== '..' ? cut : 'file';
}

/** A MIME type as declared, if it looks like one; else the generic binary type. */
export function safeType(type: string): string {
  return /^[\w.+-]{1,64}\/[\w.+-]{1,128}$/.test(type) ? type.toLowerCase() : 'application/octet-stream';
}

const toHex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

/** The file checksum: SHA-256 over the concatenated SHA-256 digests of its data messages, in order (hex). */
export async function fileChecksum(digests: Promise<ArrayBuffer>[]): Promise<string> {
  const list = await Promise.all(digests);
  const joined = new Uint8Array(list.length * 32);
  list.forEach((d, i) => joined.set(new Uint8Array(d), i * 32));
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', joined)));
}
