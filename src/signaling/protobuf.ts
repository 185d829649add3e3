/**
 * Protobuf-style fields on bytes: a growing Writer and a bounds-checked
 * Reader. Only wire types 0 (varint) and 2 (length-delimited) are written;
 * the Reader can skip 1 and 5 too. Everything it throws is a PeerixError
 * (ERR_DECODE, or ERR_TOO_LARGE when a cap is exceeded).
 */
import { PeerixError, type ErrorMessage } from '../errors.js';
import { MAX_BODY_BYTES, MAX_STRING_BYTES } from './schema.js';

const MAX_U64 = (1n << 64n) - 1n;

export const WireType = { Varint: 0, Fixed64: 1, Bytes: 2, Fixed32: 5 } as const;

const textEncoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF as data instead of silently dropping it.
const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeError(message: ErrorMessage): PeerixError {
  return new PeerixError('ERR_DECODE', message);
}

// ---------------------------------------------------------------------------
// Writer / Reader

/** Appends protobuf-style fields to a growing buffer. */
export class Writer {
  #buf: Uint8Array;
  #pos = 0;

  constructor(initialSize = 256) {
    this.#buf = new Uint8Array(initialSize);
  }

  get length(): number {
    return this.#pos;
  }

  #ensure(extra: number): void {
    if (this.#pos + extra <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#pos + extra));
    next.set(this.#buf.subarray(0, this.#pos));
    this.#buf = next;
  }

  /** A bare varint, 0 … 2^53 − 1. */
  varint(value: number): this {
    this.#ensure(8);
    let v = value;
    while (v >= 0x80) {
      this.#buf[this.#pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.#buf[this.#pos++] = v;
    return this;
  }

  /** A bare varint, 0 … 2^64 − 1. */
  varint64(value: bigint): this {
    this.#ensure(10);
    let v = value;
    while (v >= 0x80n) {
      this.#buf[this.#pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.#buf[this.#pos++] = Number(v);
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.#ensure(bytes.length);
    this.#buf.set(bytes, this.#pos);
    this.#pos += bytes.length;
    return this;
  }

  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  uint(field: number, value: number): this {
    return this.tag(field, WireType.Varint).varint(value);
  }

  uint64(field: number, value: bigint): this {
    return this.tag(field, WireType.Varint).varint64(value);
  }

  bool(field: number, value: boolean): this {
    return this.uint(field, value ? 1 : 0);
  }

  bytes(field: number, data: Uint8Array): this {
    return this.tag(field, WireType.Bytes).varint(data.length).raw(data);
  }

  string(field: number, text: string, max = MAX_STRING_BYTES): this {
    if (typeof text !== 'string') throw new PeerixError('ERR_INVALID_ARGUMENT', `field ${field} must be a string`);
    const data = textEncoder.encode(text);
    if (data.length > max) throw new PeerixError('ERR_TOO_LARGE', `string field ${field} is longer than ${max} bytes`);
    return this.bytes(field, data);
  }

  /** A nested message, written in place; its length prefix is inserted afterwards. */
  message(field: number, write: (w: Writer) => void): this {
    this.tag(field, WireType.Bytes);
    const start = this.#pos;
    write(this);
    const length = this.#pos - start;
    let size = 1;
    for (let v = length; v >= 0x80; v = Math.floor(v / 0x80)) size++;
    this.#ensure(size);
    this.#buf.copyWithin(start + size, start, this.#pos);
    const end = this.#pos + size;
    this.#pos = start;
    this.varint(length);
    this.#pos = end;
    return this;
  }

  finish(): Uint8Array {
    return this.#buf.slice(0, this.#pos);
  }
}

/** Reads protobuf-style fields from a byte range; every read is bounds-checked. */
export class Reader {
  pos: number;
  readonly end: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  #byte(): number {
    if (this.pos >= this.end) throw decodeError('truncated varint');
    return this.buf[this.pos++]!;
  }

  /** A varint that must fit in a safe integer. */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.#byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (value > Number.MAX_SAFE_INTEGER) throw decodeError('varint out of range');
        return value;
      }
      scale *= 0x80;
    }
    throw decodeError('varint longer than 10 bytes');
  }

  /** A varint up to 64 bits. */
  varint64(): bigint {
    let value = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.#byte();
      value |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) {
        if (value > MAX_U64) throw decodeError('varint out of range');
        return value;
      }
    }
    throw decodeError('varint longer than 10 bytes');
  }

  /** Field number and wire type of the next field. */
  tag(): [field: number, wireType: number] {
    const tag = this.varint();
    const field = Math.floor(tag / 8);
    if (field < 1 || field > 0x1fffffff) throw decodeError(`invalid field number ${field}`);
    return [field, tag % 8];
  }

  /** A length-delimited field's bytes (a view, not a copy). */
  bytes(max = MAX_BODY_BYTES): Uint8Array {
    const length = this.varint();
    if (length > this.end - this.pos) throw decodeError('length-delimited field runs past the end');
    if (length > max) throw new PeerixError('ERR_TOO_LARGE', `field of ${length} bytes is larger than ${max}`);
    const start = this.pos;
    this.pos += length;
    return this.buf.subarray(start, this.pos);
  }

  string(max = MAX_STRING_BYTES): string {
    const data = this.bytes(max);
    try {
      return textDecoder.decode(data);
    } catch {
      throw decodeError('invalid UTF-8 in string field');
    }
  }

  /** A nested message as a reader over its own range. */
  sub(): Reader {
    const length = this.varint();
    if (length > this.end - this.pos) throw decodeError('nested message runs past the end');
    const start = this.pos;
    this.pos += length;
    return new Reader(this.buf, start, this.pos);
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WireType.Varint:
        for (let i = 0; ; i++) {
          if (i >= 10) throw decodeError('varint longer than 10 bytes');
          if (this.#byte() < 0x80) return;
        }
      case WireType.Fixed64:
        this.#advance(8);
        return;
      case WireType.Bytes:
        this.bytes(Number.MAX_SAFE_INTEGER);
        return;
      case WireType.Fixed32:
        this.#advance(4);
        return;
      default:
        throw decodeError(`unsupported wire type ${wireType}`);
    }
  }

  #advance(n: number): void {
    if (n > this.end - this.pos) throw decodeError('fixed-size field runs past the end');
    this.pos += n;
  }
}
