import { PeerixError } from '../../errors.js';

/**
 * The framing y-protocols messages use (lib0 encoding): unsigned LEB128
 * integers and length-prefixed byte arrays. Written here so this entry needs
 * nothing beyond yjs and y-protocols, and reads hostile input without throwing
 * anything but a PeerixError.
 */
export function encodeMessage(...parts: Array<number | Uint8Array>): Uint8Array {
  const pieces: Uint8Array[] = [];
  for (const part of parts) {
    if (typeof part === 'number') pieces.push(varUint(part));
    else pieces.push(varUint(part.length), part);
  }
  const message = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    message.set(piece, at);
    at += piece.length;
  }
  return message;
}

function varUint(value: number): Uint8Array {
  const bytes: number[] = [];
  let n = value;
  while (n >= 0x80) {
    bytes.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  bytes.push(n);
  return Uint8Array.from(bytes);
}

export class MessageReader {
  #bytes: Uint8Array;
  #at = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  uint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.#at >= this.#bytes.length) throw new PeerixError('ERR_DECODE', 'Yjs message truncated');
      const byte = this.#bytes[this.#at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
      if (scale > 2 ** 49) throw new PeerixError('ERR_DECODE', 'Yjs message: integer too large');
    }
  }

  bytes(): Uint8Array {
    const length = this.uint();
    if (length > this.#bytes.length - this.#at) throw new PeerixError('ERR_DECODE', 'Yjs message: byte array runs past the end');
    const slice = this.#bytes.subarray(this.#at, this.#at + length);
    this.#at += length;
    return slice;
  }

  get done(): boolean {
    return this.#at === this.#bytes.length;
  }
}
