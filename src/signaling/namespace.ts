/**
 * Broker namespaces. With hashing on (the default) the broker sees a digest
 * of the room name, never the name; with hashing off the name is escaped to
 * [A-Za-z0-9_-] so MQTT topics, NATS subjects, Centrifugo channels and
 * Mercure topics all accept it, and the escaping can be undone.
 */
import { PeerixError } from '../errors.js';
import { base64urlEncode } from './encoding.js';

const textEncoder = new TextEncoder();
const SAFE = /^[A-Za-z0-9-]$/;

/** Escapes every UTF-8 byte outside [A-Za-z0-9-] (and `_` itself) as `_` + two uppercase hex digits. */
export function escapeRoom(room: string): string {
  let out = '';
  for (const byte of textEncoder.encode(room)) {
    const ch = String.fromCharCode(byte);
    out += SAFE.test(ch) ? ch : '_' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Reverses {@link escapeRoom}. Throws ERR_INVALID_ARGUMENT on text it could not have made. */
export function unescapeRoom(escaped: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < escaped.length; i++) {
    const ch = escaped[i]!;
    if (ch === '_') {
      const hex = escaped.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) throw new PeerixError('ERR_INVALID_ARGUMENT', 'invalid escape in namespace');
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (SAFE.test(ch)) {
      bytes.push(ch.charCodeAt(0));
    } else {
      throw new PeerixError('ERR_INVALID_ARGUMENT', 'invalid character in namespace');
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(new Uint8Array(bytes));
  } catch (error) {
    throw new PeerixError('ERR_INVALID_ARGUMENT', 'namespace does not decode to UTF-8', { cause: error });
  }
}

/**
 * The room's namespace: base64url of the first 16 bytes of
 * SHA-256('peerix/ns/' ‖ room) with hashing, the escaped room name without.
 */
export async function roomNamespace(room: string, hashing: boolean): Promise<string> {
  if (typeof room !== 'string' || room === '') throw new PeerixError('ERR_INVALID_ARGUMENT', 'room must be a non-empty string');
  if (!hashing) return escapeRoom(room);
  const digest = await crypto.subtle.digest('SHA-256', textEncoder.encode('peerix/ns/' + room) as Uint8Array<ArrayBuffer>);
  return base64urlEncode(new Uint8Array(digest, 0, 16));
}

/** Where broadcasts to the room are published: `[roomNs]`. */
export function broadcastNamespace(roomNs: string): string[] {
  return [roomNs];
}

/** Where messages addressed to one peer are published: `[roomNs, peerId]`. */
export function peerNamespace(roomNs: string, peerId: string): string[] {
  return [roomNs, peerId];
}
