/**
 * The signaling codec: one generic encoder and decoder driven by the wire
 * schema (`schema.ts`; docs/PROTOCOL.md, "Message encoding"). Unknown fields
 * of any skippable wire type are ignored so newer peers can add fields. The
 * message kind is not part of the body: it travels in the envelope header or
 * as the first byte of an in-band frame.
 *
 * Decoding treats its input as hostile: every length, wire type, enum, range
 * and UTF-8 sequence is checked, and the only thing it throws is a
 * PeerixError (ERR_DECODE, or ERR_TOO_LARGE when a cap is exceeded).
 */
import { PeerixError, type ErrorMessage } from '../errors.js';
import type { KindName, KindNumber, SignalMessage } from './messages.js';
import { ipFromBytes, ipToBytes } from './ip.js';
import { decodeError, Reader, WireType, Writer } from './protobuf.js';
import { emptyValue, Kind, MAX_BODY_BYTES, MAX_ITEMS, MESSAGES, valid } from './schema.js';
import type { Field, MessageSpec } from './schema.js';

export { MAX_BODY_BYTES, MAX_ITEMS, MAX_STRING_BYTES } from './schema.js';
export { Reader, WireType, Writer } from './protobuf.js';
export { fullTextDescription } from './messages.js';
export { ipFromBytes, ipToBytes } from './ip.js';

const U32 = 0xffffffff;
const MAX_U64 = (1n << 64n) - 1n;
const CANONICAL_DECIMAL = /^(?:0|[1-9]\d{0,19})$/;
const LOWER_HEX = /^(?:[0-9a-f]{2})+$/;

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function lowerHex(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += (b < 16 ? '0' : '') + b.toString(16);
  return text;
}

function invalid(message: ErrorMessage): PeerixError {
  return new PeerixError('ERR_INVALID_ARGUMENT', message);
}

function tooLarge(message: ErrorMessage): PeerixError {
  return new PeerixError('ERR_TOO_LARGE', message);
}

// ---------------------------------------------------------------------------
// Encoding

type Fields = Record<string, unknown>;

function writeFields(w: Writer, spec: MessageSpec, value: Fields): void {
  for (const f of spec.fields) {
    const v = value[f.name];
    switch (f.rule) {
      case 'repeated':
        if (!Array.isArray(v)) throw invalid(`${spec.name}.${f.name} must be an array`);
        if (v.length > MAX_ITEMS) throw tooLarge(`more than ${MAX_ITEMS} ${f.name}`);
        for (const item of v) writeValue(w, spec, f, item);
        break;
      case 'optional':
        if (v !== undefined && v !== null) writeValue(w, spec, f, v);
        break;
      case 'flag':
        if (v) writeValue(w, spec, f, true);
        break;
      case 'default':
        if (v !== f.value) writeValue(w, spec, f, v);
        break;
      case 'full':
        if (v === undefined) break;
        writeValue(w, spec, f, v);
        return;
      default:
        writeValue(w, spec, f, v);
    }
  }
}

function writeValue(w: Writer, spec: MessageSpec, f: Field, v: unknown): void {
  const t = f.of;
  // `valid` decides, except where the encoding found proves the value valid (an enum
  // index, canonical IP text, a canonical decimal): those skip the second look.
  switch (t.type) {
    case 'message':
      if (typeof v !== 'object' || v === null) break;
      return void w.message(f.n, (nested) => writeFields(nested, t.of, v as Fields));
    case 'bool':
      return void w.uint(f.n, v ? 1 : 0);
    case 'enum': {
      const i = t.values.indexOf(v as string);
      if (i < 0) break;
      return void w.uint(f.n, t.first + i);
    }
    case 'decimal':
      if (typeof v === 'string' && CANONICAL_DECIMAL.test(v)) {
        if (t.bits === 32 && Number(v) <= U32) return void w.uint(f.n, Number(v));
        if (t.bits === 64 && BigInt(v) <= MAX_U64) return void w.uint64(f.n, BigInt(v));
      }
      if (!valid(t, v)) break;
      return void w.string(f.n + 1, v as string, t.max);
    case 'address': {
      const ip = typeof v === 'string' ? ipToBytes(v) : null;
      if (ip) return void w.bytes(f.n, ip);
      if (!valid(t, v)) break;
      return void w.string(f.n + 1, v as string, 255);
    }
    case 'hex':
      if (!valid(t, v)) break;
      if (LOWER_HEX.test(v as string) && (v as string).length <= t.max) return void w.bytes(t.bytesField, hexBytes(v as string));
      return void w.string(f.n, v as string, t.max);
    default:
      if (!valid(t, v)) break;
      if (t.type === 'string') return void w.string(f.n, v as string, t.max);
      if (t.type === 'bytes') return void w.bytes(f.n, v as Uint8Array);
      return void w.uint(f.n, Math.round(v as number)); // uint, or time (milliseconds, rounded)
  }
  throw invalid(`invalid ${spec.name}.${f.name}: ${String(v)}`);
}

// ---------------------------------------------------------------------------
// Decoding

/** Field number → index in `spec.fields` (text alternatives included), built once per message type. */
const lookups = new Map<MessageSpec, number[]>();

function lookup(spec: MessageSpec): number[] {
  let table = lookups.get(spec);
  if (!table) {
    table = [];
    spec.fields.forEach((f, i) => {
      table![f.n] = i;
      if (f.of.type === 'hex') table![f.of.bytesField] = i;
      else if (f.alt) table![f.n + 1] = i;
    });
    lookups.set(spec, table);
  }
  return table;
}

function expectWire(actual: number, expected: number, field: number): void {
  if (actual !== expected) throw decodeError(`field ${field} has wire type ${actual}, expected ${expected}`);
}

function readFields(r: Reader, spec: MessageSpec, out: Fields = {}): Fields {
  const { fields } = spec;
  const table = lookup(spec);
  while (!r.done) {
    const [n, wire] = r.tag();
    const i = table[n];
    if (i === undefined) {
      r.skip(wire);
      continue;
    }
    const f = fields[i]!;
    const v = readValue(r, wire, n, f);
    if (f.rule !== 'repeated') out[f.name] = v;
    else {
      const list = (out[f.name] ??= []) as unknown[];
      if (list.length >= MAX_ITEMS) throw tooLarge(`more than ${MAX_ITEMS} items in one message`);
      list.push(v);
    }
  }
  // Absent fields: required ones are an error, the others take their defaults.
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const v = out[f.name];
    if (v === undefined) {
      if (f.rule === 'required') throw decodeError(`${spec.name} lacks its ${f.name}`);
      if (f.rule === 'repeated') out[f.name] = [];
      else if (f.rule === 'always' || f.rule === 'default') out[f.name] = f.value;
    } else if (f.rule === 'flag' && !v) {
      delete out[f.name];
    } else if (f.rule === 'full') {
      return fullText(spec, i, out);
    }
  }
  return out;
}

/** A message whose `full` field (index `at`) is set: the fields after it take their empty values. */
function fullText(spec: MessageSpec, at: number, read: Fields): Fields {
  const out: Fields = {};
  spec.fields.forEach((f, i) => {
    if (i <= at) out[f.name] = read[f.name];
    else if (f.rule !== 'flag') out[f.name] = f.rule === 'repeated' ? [] : emptyValue(f.of);
  });
  if (read.kind !== undefined) return { kind: read.kind, ...out };
  return out;
}

function readValue(r: Reader, wire: number, n: number, f: Field): unknown {
  const t = f.of;
  if (t.type === 'message') {
    expectWire(wire, WireType.Bytes, n);
    return readFields(r.sub(), t.of);
  }
  // Varint fields: numbers, enums, bools, and the number form of a decimal.
  const varint = t.type === 'uint' || t.type === 'time' || t.type === 'enum' || t.type === 'bool' || (t.type === 'decimal' && n === f.n);
  expectWire(wire, varint ? WireType.Varint : WireType.Bytes, n);
  // Values the reading itself proves valid (enum, bool, canonical IP, a number read as
  // decimal, text without a pattern) return at once; the rest go through `valid`.
  let v: unknown;
  switch (t.type) {
    case 'enum': {
      const value = r.varint();
      const name = value <= U32 ? t.values[value - t.first] : undefined;
      if (name === undefined) throw decodeError(`field ${n}: unknown enum value ${value}`);
      return name;
    }
    case 'bool': {
      const value = r.varint();
      if (value > 1) throw decodeError(`field ${n} out of range`);
      return value === 1;
    }
    case 'string':
      v = r.string(t.max);
      if (!t.pattern) return v;
      break;
    case 'bytes':
      v = r.bytes(256).slice();
      break;
    case 'decimal':
      if (n !== f.n) v = r.string(t.max);
      else if (t.bits === 64) return r.varint64().toString();
      else {
        const value = r.varint();
        if (value > U32) throw decodeError(`field ${n} out of range`);
        return String(value);
      }
      break;
    case 'address':
      if (n === f.n) return ipFromBytes(r.bytes(256));
      v = r.string(255);
      break;
    case 'hex': {
      if (n === f.n) return r.string(t.max);
      const bytes = r.bytes(t.max >> 1);
      if (bytes.length === 0) throw decodeError(`field ${n} is empty`);
      return lowerHex(bytes);
    }
    case 'time':
      return r.varint();
    default:
      v = r.varint();
  }
  if (!valid(t, v)) throw decodeError(`field ${n} (${f.name}) is invalid`);
  return v;
}

// ---------------------------------------------------------------------------
// Messages and frames

const KIND_NAMES: (KindName | undefined)[] = [];
for (const name of Object.keys(Kind) as KindName[]) KIND_NAMES[Kind[name]] = name;

/** True when `n` is a known message kind number. */
export function isKindNumber(n: number): n is KindNumber {
  return KIND_NAMES[n] !== undefined;
}

/** The wire number of a message's kind. */
export function kindNumber(msg: SignalMessage): KindNumber {
  const n: unknown = (Kind as Record<string, unknown>)[msg.kind];
  if (typeof n !== 'number' || KIND_NAMES[n] !== msg.kind) throw invalid(`unknown message kind ${String(msg.kind)}`);
  return n as KindNumber;
}

/** The body of `msg` (its kind travels separately). Throws ERR_TOO_LARGE past 64 KiB. */
export function encodeMessage(msg: SignalMessage): Uint8Array {
  const w = new Writer();
  writeFields(w, MESSAGES[KIND_NAMES[kindNumber(msg)]!], msg as unknown as Fields);
  if (w.length > MAX_BODY_BYTES) throw tooLarge(`message body of ${w.length} bytes is larger than ${MAX_BODY_BYTES}`);
  return w.finish();
}

/**
 * Decodes a body of the given kind. Throws only PeerixError: ERR_DECODE for
 * malformed input, ERR_TOO_LARGE when a cap is exceeded.
 */
export function decodeMessage(kind: KindNumber, body: Uint8Array): SignalMessage {
  if (!(body instanceof Uint8Array)) throw decodeError('body must be a Uint8Array');
  if (body.length > MAX_BODY_BYTES) throw tooLarge(`message body of ${body.length} bytes is larger than ${MAX_BODY_BYTES}`);
  const name = KIND_NAMES[kind];
  if (name === undefined) throw decodeError(`unknown message kind ${kind}`);
  try {
    return readFields(new Reader(body), MESSAGES[name], { kind: name }) as unknown as SignalMessage;
  } catch (error) {
    if (error instanceof PeerixError) throw error;
    // Defensive: nothing else should escape, but a decoder must never throw a foreign error.
    throw new PeerixError('ERR_DECODE', 'malformed message', { cause: error });
  }
}

/** An in-band frame: one kind byte, then the body. */
export function encodeFrame(msg: SignalMessage): Uint8Array {
  const body = encodeMessage(msg);
  const frame = new Uint8Array(body.length + 1);
  frame[0] = kindNumber(msg);
  frame.set(body, 1);
  return frame;
}

/** Decodes an in-band frame made by {@link encodeFrame}. */
export function decodeFrame(bytes: Uint8Array): SignalMessage {
  if (!(bytes instanceof Uint8Array) || bytes.length < 1) throw decodeError('empty frame');
  const kind = bytes[0]!;
  if (!isKindNumber(kind)) throw decodeError(`unknown message kind ${kind}`);
  return decodeMessage(kind, bytes.subarray(1));
}
