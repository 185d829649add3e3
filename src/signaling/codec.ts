/**
 * Protobuf-style binary codec for signaling messages (docs/PROTOCOL.md,
 * "Wire format"). Only wire types 0 (varint) and 2 (length-delimited) are
 * written; unknown fields of any skippable wire type (0, 1, 2, 5) are
 * ignored so newer peers can add fields. The message kind is not part of
 * the body: it travels in the envelope header or as the first byte of an
 * in-band frame.
 *
 * Decoding treats its input as hostile: every length, wire type, enum, range
 * and UTF-8 sequence is checked, and the only thing it throws is a
 * PeerixError (ERR_DECODE, or ERR_TOO_LARGE when a cap is exceeded).
 */
import { PeerixError, type ErrorMessage } from '../errors.js';
import { Kind } from './messages.js';
import type {
  ChannelOptions,
  CompactCandidate,
  CompactDescription,
  IceCandidateInit,
  KindName,
  KindNumber,
  SignalMessage,
  StreamInfo,
} from './messages.js';

/** Largest message body (and in-band frame body), in bytes. */
export const MAX_BODY_BYTES = 65536;
/** Largest string field, in UTF-8 bytes (full SDP text may use the whole body). */
export const MAX_STRING_BYTES = 16384;
/** Most candidates, streams or tracks in one message. */
export const MAX_ITEMS = 64;

const DEFAULT_SCTP_PORT = 5000;
const DEFAULT_MAX_MESSAGE_SIZE = 262144;
const MAX_UINT32 = 0xffffffff;
const MAX_UINT16 = 0xffff;
const MAX_U64 = (1n << 64n) - 1n;

export const WireType = { Varint: 0, Fixed64: 1, Bytes: 2, Fixed32: 5 } as const;

const textEncoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF as data instead of silently dropping it.
const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeError(message: ErrorMessage): PeerixError {
  return new PeerixError('ERR_DECODE', message);
}

function invalid(message: ErrorMessage): PeerixError {
  return new PeerixError('ERR_INVALID_ARGUMENT', message);
}

function checkUint(value: number, max: number, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw invalid(`${name} must be an integer from 0 to ${max}`);
  }
  return value;
}

// ---------------------------------------------------------------------------
// Writer / Reader

/** Appends protobuf-style fields to a growing buffer. */
export class Writer {
  private buf: Uint8Array;
  private pos = 0;

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(initialSize);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + extra));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** A bare varint, 0 … 2^53 − 1. */
  varint(value: number): this {
    this.ensure(8);
    let v = value;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
    return this;
  }

  /** A bare varint, 0 … 2^64 − 1. */
  varint64(value: bigint): this {
    this.ensure(10);
    let v = value;
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
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
    if (typeof text !== 'string') throw invalid(`field ${field} must be a string`);
    const data = textEncoder.encode(text);
    if (data.length > max) throw new PeerixError('ERR_TOO_LARGE', `string field ${field} is longer than ${max} bytes`);
    return this.bytes(field, data);
  }

  /** A nested message, written in place; its length prefix is inserted afterwards. */
  message(field: number, write: (w: Writer) => void): this {
    this.tag(field, WireType.Bytes);
    const start = this.pos;
    write(this);
    const length = this.pos - start;
    let size = 1;
    for (let v = length; v >= 0x80; v = Math.floor(v / 0x80)) size++;
    this.ensure(size);
    this.buf.copyWithin(start + size, start, this.pos);
    const end = this.pos + size;
    this.pos = start;
    this.varint(length);
    this.pos = end;
    return this;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
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

  private byte(): number {
    if (this.pos >= this.end) throw decodeError('truncated varint');
    return this.buf[this.pos++]!;
  }

  /** A varint that must fit in a safe integer. */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
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
      const b = this.byte();
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
          if (this.byte() < 0x80) return;
        }
      case WireType.Fixed64:
        this.advance(8);
        return;
      case WireType.Bytes:
        this.bytes(Number.MAX_SAFE_INTEGER);
        return;
      case WireType.Fixed32:
        this.advance(4);
        return;
      default:
        throw decodeError(`unsupported wire type ${wireType}`);
    }
  }

  private advance(n: number): void {
    if (n > this.end - this.pos) throw decodeError('fixed-size field runs past the end');
    this.pos += n;
  }
}

function expectWire(actual: number, expected: number, field: number): void {
  if (actual !== expected) throw decodeError(`field ${field} has wire type ${actual}, expected ${expected}`);
}

function readUint(r: Reader, wire: number, field: number, max: number): number {
  expectWire(wire, WireType.Varint, field);
  const value = r.varint();
  if (value > max) throw decodeError(`field ${field} out of range`);
  return value;
}

function readBool(r: Reader, wire: number, field: number): boolean {
  return readUint(r, wire, field, 1) === 1;
}

function readString(r: Reader, wire: number, field: number, max = MAX_STRING_BYTES): string {
  expectWire(wire, WireType.Bytes, field);
  return r.string(max);
}

function readSub(r: Reader, wire: number, field: number): Reader {
  expectWire(wire, WireType.Bytes, field);
  return r.sub();
}

function pushItem<T>(list: T[], item: T): void {
  if (list.length >= MAX_ITEMS) throw new PeerixError('ERR_TOO_LARGE', `more than ${MAX_ITEMS} items in one message`);
  list.push(item);
}

function enumValue<T extends string>(values: readonly T[], value: number, field: number): T {
  const result = values[value];
  if (result === undefined || result === '') {
    throw decodeError(`field ${field}: unknown enum value ${value}`);
  }
  return result;
}

function enumIndex<T extends string>(values: readonly T[], value: T, name: string): number {
  const index = values.indexOf(value);
  if (index < 0 || value === '') throw invalid(`invalid ${name}: ${String(value)}`);
  return index;
}

// Enum tables: index = wire value. '' marks "no such value".
const SDP_TYPES = ['', 'offer', 'answer'] as const;
const SETUPS = ['', 'actpass', 'active', 'passive'] as const;
const PROTOCOLS = ['udp', 'tcp'] as const;
const CANDIDATE_TYPES = ['host', 'srflx', 'prflx', 'relay'] as const;
const TCP_TYPES = ['', 'active', 'passive', 'so'] as const;

// ---------------------------------------------------------------------------
// IP addresses: 4 or 16 bytes on the wire when the text is in canonical form
// (so the text round-trips exactly); anything else travels as a string.

const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Canonical IPv4 or IPv6 (RFC 5952, hex only) text → 4 or 16 bytes; otherwise null. */
export function ipToBytes(text: string): Uint8Array | null {
  if (IPV4.test(text)) return new Uint8Array(text.split('.').map(Number));
  if (!text.includes(':') || text.length > 39 || !/^[0-9a-f:]+$/.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const groups = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (halves.length === 2 ? groups < 1 : head.length !== 8) return null;
  const all = [...head, ...new Array<string>(groups).fill('0'), ...tail];
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const group = all[i]!;
    if (!/^[0-9a-f]{1,4}$/.test(group)) return null;
    const value = parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 255;
  }
  return ipFromBytes(bytes) === text ? bytes : null;
}

/** 4 or 16 bytes → IPv4 dotted or RFC 5952 IPv6 text. */
export function ipFromBytes(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length !== 16) throw decodeError('IP address must be 4 or 16 bytes');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  // Longest run of two or more zero groups becomes '::' (the first one on a tie).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function writeAddress(w: Writer, bytesField: number, text: string): void {
  const ip = ipToBytes(text);
  if (ip) w.bytes(bytesField, ip);
  else w.string(bytesField + 1, text, 255);
}

function readAddressBytes(r: Reader, wire: number, field: number): string {
  expectWire(wire, WireType.Bytes, field);
  return ipFromBytes(r.bytes(256));
}

// ---------------------------------------------------------------------------
// Nested messages

const CANONICAL_DECIMAL = /^(?:0|[1-9]\d{0,19})$/;

function writeCandidate(w: Writer, c: CompactCandidate): void {
  if (typeof c.foundation !== 'string' || c.foundation === '') throw invalid('candidate foundation must be a non-empty string');
  if (CANONICAL_DECIMAL.test(c.foundation) && Number(c.foundation) <= MAX_UINT32) w.uint(1, Number(c.foundation));
  else w.string(2, c.foundation, 255);
  if (c.component !== 1) w.uint(3, checkUint(c.component, 256, 'component'));
  if (c.protocol !== 'udp') w.uint(4, enumIndex(PROTOCOLS, c.protocol, 'protocol'));
  w.uint(5, checkUint(c.priority, MAX_UINT32, 'priority'));
  if (typeof c.address !== 'string' || c.address === '') throw invalid('candidate address must be a non-empty string');
  writeAddress(w, 6, c.address);
  w.uint(8, checkUint(c.port, MAX_UINT16, 'port'));
  if (c.type !== 'host') w.uint(9, enumIndex(CANDIDATE_TYPES, c.type, 'candidate type'));
  if (c.relatedAddress !== undefined) writeAddress(w, 10, c.relatedAddress);
  if (c.relatedPort !== undefined) w.uint(12, checkUint(c.relatedPort, MAX_UINT16, 'relatedPort'));
  if (c.tcpType !== undefined) w.uint(13, enumIndex(TCP_TYPES, c.tcpType, 'tcpType'));
}

function readCandidate(r: Reader): CompactCandidate {
  let foundation: string | undefined;
  let component = 1;
  let protocol: CompactCandidate['protocol'] = 'udp';
  let priority: number | undefined;
  let address: string | undefined;
  let port: number | undefined;
  let type: CompactCandidate['type'] = 'host';
  let relatedAddress: string | undefined;
  let relatedPort: number | undefined;
  let tcpType: CompactCandidate['tcpType'];
  while (!r.done) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1: foundation = String(readUint(r, wire, field, MAX_UINT32)); break;
      case 2: foundation = readString(r, wire, field, 255); break;
      case 3: component = readUint(r, wire, field, 256); break;
      case 4: protocol = enumValue(PROTOCOLS, readUint(r, wire, field, MAX_UINT32), field); break;
      case 5: priority = readUint(r, wire, field, MAX_UINT32); break;
      case 6: address = readAddressBytes(r, wire, field); break;
      case 7: address = readString(r, wire, field, 255); break;
      case 8: port = readUint(r, wire, field, MAX_UINT16); break;
      case 9: type = enumValue(CANDIDATE_TYPES, readUint(r, wire, field, MAX_UINT32), field); break;
      case 10: relatedAddress = readAddressBytes(r, wire, field); break;
      case 11: relatedAddress = readString(r, wire, field, 255); break;
      case 12: relatedPort = readUint(r, wire, field, MAX_UINT16); break;
      case 13: tcpType = enumValue(TCP_TYPES, readUint(r, wire, field, MAX_UINT32), field) as CompactCandidate['tcpType']; break;
      default: r.skip(wire);
    }
  }
  if (!foundation || priority === undefined || !address || port === undefined) throw decodeError('candidate lacks a required field');
  if (component < 1) throw decodeError('candidate component out of range');
  const c: CompactCandidate = { foundation, component, protocol, priority, address, port, type };
  if (relatedAddress !== undefined) c.relatedAddress = relatedAddress;
  if (relatedPort !== undefined) c.relatedPort = relatedPort;
  if (tcpType !== undefined) c.tcpType = tcpType;
  return c;
}

function writeDescription(w: Writer, d: CompactDescription): void {
  w.uint(1, enumIndex(SDP_TYPES, d.type, 'description type'));
  if (d.sdp !== undefined) {
    w.string(2, d.sdp, MAX_BODY_BYTES);
    return;
  }
  w.string(3, d.ufrag, 256);
  w.string(4, d.pwd, 256);
  if (!(d.fingerprint instanceof Uint8Array) || d.fingerprint.length !== 32) throw invalid('fingerprint must be 32 bytes');
  w.bytes(5, d.fingerprint);
  w.uint(6, enumIndex(SETUPS, d.setup, 'setup'));
  if (CANONICAL_DECIMAL.test(d.sessionId) && BigInt(d.sessionId) <= MAX_U64) w.uint64(7, BigInt(d.sessionId));
  else w.string(8, d.sessionId, 256);
  w.uint(9, checkUint(d.sessionVersion, Number.MAX_SAFE_INTEGER, 'sessionVersion'));
  if (d.sctpPort !== DEFAULT_SCTP_PORT) w.uint(10, checkUint(d.sctpPort, MAX_UINT16, 'sctpPort'));
  if (d.maxMessageSize !== DEFAULT_MAX_MESSAGE_SIZE) {
    w.uint(11, checkUint(d.maxMessageSize, Number.MAX_SAFE_INTEGER, 'maxMessageSize'));
  }
  if (d.candidates.length > MAX_ITEMS) throw new PeerixError('ERR_TOO_LARGE', `more than ${MAX_ITEMS} candidates`);
  for (const c of d.candidates) w.message(12, (n) => writeCandidate(n, c));
  if (d.endOfCandidates) w.bool(13, true);
}

/** The shape of a description that travels as full SDP text. */
export function fullTextDescription(type: CompactDescription['type'], sdp: string): CompactDescription {
  return {
    type,
    sdp,
    ufrag: '',
    pwd: '',
    fingerprint: new Uint8Array(0),
    setup: 'actpass',
    sessionId: '',
    sessionVersion: 0,
    sctpPort: 0,
    maxMessageSize: 0,
    candidates: [],
  };
}

function readDescription(r: Reader): CompactDescription {
  let type: CompactDescription['type'] | undefined;
  let sdp: string | undefined;
  let ufrag: string | undefined;
  let pwd: string | undefined;
  let fingerprint: Uint8Array | undefined;
  let setup: CompactDescription['setup'] | undefined;
  let sessionId: string | undefined;
  let sessionVersion = 0;
  let sctpPort = DEFAULT_SCTP_PORT;
  let maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  let endOfCandidates = false;
  const candidates: CompactCandidate[] = [];
  while (!r.done) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1: type = enumValue(SDP_TYPES, readUint(r, wire, field, MAX_UINT32), field) as CompactDescription['type']; break;
      case 2: sdp = readString(r, wire, field, MAX_BODY_BYTES); break;
      case 3: ufrag = readString(r, wire, field, 256); break;
      case 4: pwd = readString(r, wire, field, 256); break;
      case 5:
        expectWire(wire, WireType.Bytes, field);
        fingerprint = r.bytes(256).slice();
        if (fingerprint.length !== 32) throw decodeError('fingerprint must be 32 bytes');
        break;
      case 6: setup = enumValue(SETUPS, readUint(r, wire, field, MAX_UINT32), field) as CompactDescription['setup']; break;
      case 7:
        expectWire(wire, WireType.Varint, field);
        sessionId = r.varint64().toString();
        break;
      case 8: sessionId = readString(r, wire, field, 256); break;
      case 9: sessionVersion = readUint(r, wire, field, Number.MAX_SAFE_INTEGER); break;
      case 10: sctpPort = readUint(r, wire, field, MAX_UINT16); break;
      case 11: maxMessageSize = readUint(r, wire, field, Number.MAX_SAFE_INTEGER); break;
      case 12: pushItem(candidates, readCandidate(readSub(r, wire, field))); break;
      case 13: endOfCandidates = readBool(r, wire, field); break;
      default: r.skip(wire);
    }
  }
  if (type === undefined) throw decodeError('description lacks its type');
  if (sdp !== undefined) return fullTextDescription(type, sdp);
  if (ufrag === undefined || pwd === undefined || !fingerprint || !setup || sessionId === undefined) {
    throw decodeError('compact description lacks a required field');
  }
  const d: CompactDescription = { type, ufrag, pwd, fingerprint, setup, sessionId, sessionVersion, sctpPort, maxMessageSize, candidates };
  if (endOfCandidates) d.endOfCandidates = true;
  return d;
}

function writeIce(w: Writer, c: IceCandidateInit): void {
  w.string(1, c.candidate);
  if (c.sdpMid !== undefined && c.sdpMid !== null) w.string(2, c.sdpMid, 256);
  if (c.sdpMLineIndex !== undefined && c.sdpMLineIndex !== null) w.uint(3, checkUint(c.sdpMLineIndex, MAX_UINT16, 'sdpMLineIndex'));
}

function readIce(r: Reader): IceCandidateInit {
  let candidate = '';
  let sdpMid: string | undefined;
  let sdpMLineIndex: number | undefined;
  while (!r.done) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1: candidate = readString(r, wire, field); break;
      case 2: sdpMid = readString(r, wire, field, 256); break;
      case 3: sdpMLineIndex = readUint(r, wire, field, MAX_UINT16); break;
      default: r.skip(wire);
    }
  }
  const c: IceCandidateInit = { candidate };
  if (sdpMid !== undefined) c.sdpMid = sdpMid;
  if (sdpMLineIndex !== undefined) c.sdpMLineIndex = sdpMLineIndex;
  return c;
}

function writeChannelOptions(w: Writer, o: ChannelOptions): void {
  if (o.ordered !== undefined) w.bool(1, o.ordered);
  if (o.maxPacketLifeTime !== undefined) w.uint(2, checkUint(o.maxPacketLifeTime, MAX_UINT16, 'maxPacketLifeTime'));
  if (o.maxRetransmits !== undefined) w.uint(3, checkUint(o.maxRetransmits, MAX_UINT16, 'maxRetransmits'));
  if (o.protocol !== undefined) w.string(4, o.protocol);
}

function readChannelOptions(r: Reader): ChannelOptions {
  const o: ChannelOptions = {};
  while (!r.done) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1: o.ordered = readBool(r, wire, field); break;
      case 2: o.maxPacketLifeTime = readUint(r, wire, field, MAX_UINT16); break;
      case 3: o.maxRetransmits = readUint(r, wire, field, MAX_UINT16); break;
      case 4: o.protocol = readString(r, wire, field); break;
      default: r.skip(wire);
    }
  }
  return o;
}

function writeStrings(w: Writer, field: number, list: readonly string[], name: string): void {
  if (!Array.isArray(list)) throw invalid(`${name} must be an array`);
  if (list.length > MAX_ITEMS) throw new PeerixError('ERR_TOO_LARGE', `more than ${MAX_ITEMS} ${name}`);
  for (const item of list) w.string(field, item);
}

function writeStream(w: Writer, s: StreamInfo): void {
  w.string(1, s.id);
  if (s.label !== '') w.string(2, s.label);
  writeStrings(w, 3, s.tracks, 'tracks');
}

function readStream(r: Reader): StreamInfo {
  let id: string | undefined;
  let label = '';
  const tracks: string[] = [];
  while (!r.done) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1: id = readString(r, wire, field); break;
      case 2: label = readString(r, wire, field); break;
      case 3: pushItem(tracks, readString(r, wire, field)); break;
      default: r.skip(wire);
    }
  }
  if (id === undefined) throw decodeError('stream lacks its id');
  return { id, label, tracks };
}

function writeList<T>(w: Writer, field: number, list: readonly T[], name: string, write: (w: Writer, item: T) => void): void {
  if (!Array.isArray(list)) throw invalid(`${name} must be an array`);
  if (list.length > MAX_ITEMS) throw new PeerixError('ERR_TOO_LARGE', `more than ${MAX_ITEMS} ${name}`);
  for (const item of list) w.message(field, (n) => write(n, item));
}

function checkTime(time: number): number {
  if (typeof time !== 'number' || !Number.isFinite(time) || time < 0) throw invalid('time must be a non-negative number');
  return checkUint(Math.round(time), Number.MAX_SAFE_INTEGER, 'time');
}

// ---------------------------------------------------------------------------
// Messages

const KIND_NAMES = new Map<number, KindName>(Object.entries(Kind).map(([name, n]) => [n, name as KindName]));

/** True when `n` is a known message kind number. */
export function isKindNumber(n: number): n is KindNumber {
  return KIND_NAMES.has(n);
}

/** The wire number of a message's kind. */
export function kindNumber(msg: SignalMessage): KindNumber {
  const n = (Kind as Record<string, KindNumber | undefined>)[msg.kind];
  if (n === undefined) throw invalid(`unknown message kind ${String(msg.kind)}`);
  return n;
}

/** The body of `msg` (its kind travels separately). Throws ERR_TOO_LARGE past 64 KiB. */
export function encodeMessage(msg: SignalMessage): Uint8Array {
  const w = new Writer();
  writeBody(w, msg);
  if (w.length > MAX_BODY_BYTES) throw new PeerixError('ERR_TOO_LARGE', `message body of ${w.length} bytes is larger than ${MAX_BODY_BYTES}`);
  return w.finish();
}

function writeBody(w: Writer, msg: SignalMessage): void {
  switch (msg.kind) {
    case 'Announce':
      // Field 1 (metadata) was dropped in protocol v2: metadata travels pair-authenticated.
      return;
    case 'Offer':
    case 'Answer':
      w.message(1, (n) => writeDescription(n, msg.description));
      if (msg.metadata !== undefined) w.string(2, msg.metadata);
      return;
    case 'Candidates':
      writeList(w, 1, msg.candidates, 'candidates', writeCandidate);
      if (msg.end !== undefined) w.bool(2, msg.end);
      return;
    case 'Description':
      w.uint(1, enumIndex(SDP_TYPES, msg.type, 'description type'));
      w.string(2, msg.sdp, MAX_BODY_BYTES);
      return;
    case 'Ice':
      writeList(w, 1, msg.candidates, 'candidates', writeIce);
      return;
    case 'ChannelOpen':
      w.string(1, msg.label);
      if (msg.options !== undefined) w.message(2, (n) => writeChannelOptions(n, msg.options!));
      return;
    case 'ChannelClose':
      w.string(1, msg.label);
      return;
    case 'Streams':
      writeList(w, 1, msg.streams, 'streams', writeStream);
      return;
    case 'Unshare':
      w.string(1, msg.streamId);
      writeStrings(w, 2, msg.tracks, 'tracks');
      return;
    case 'Ping':
    case 'Pong':
      w.uint(1, checkTime(msg.time));
      return;
    case 'Negotiate':
      w.uint(1, checkCount(msg.audio));
      w.uint(2, checkCount(msg.video));
      return;
    case 'Bye':
    case 'Leave':
      return;
    default:
      throw invalid(`unknown message kind ${String((msg as { kind: unknown }).kind)}`);
  }
}

/**
 * Decodes a body of the given kind. Throws only PeerixError: ERR_DECODE for
 * malformed input, ERR_TOO_LARGE when a cap is exceeded.
 */
export function decodeMessage(kind: KindNumber, body: Uint8Array): SignalMessage {
  if (!(body instanceof Uint8Array)) throw decodeError('body must be a Uint8Array');
  if (body.length > MAX_BODY_BYTES) throw new PeerixError('ERR_TOO_LARGE', `message body of ${body.length} bytes is larger than ${MAX_BODY_BYTES}`);
  const name = KIND_NAMES.get(kind);
  if (name === undefined) throw decodeError(`unknown message kind ${kind}`);
  try {
    return readBody(name, new Reader(body));
  } catch (error) {
    if (error instanceof PeerixError) throw error;
    // Defensive: nothing else should escape, but a decoder must never throw a foreign error.
    throw new PeerixError('ERR_DECODE', 'malformed message', { cause: error });
  }
}

function readBody(name: KindName, r: Reader): SignalMessage {
  switch (name) {
    case 'Announce': {
      while (!r.done) r.skip(r.tag()[1]);
      return { kind: 'Announce' };
    }
    case 'Offer':
    case 'Answer': {
      let description: CompactDescription | undefined;
      let metadata: string | undefined;
      while (!r.done) {
        const [field, wire] = r.tag();
        if (field === 1) description = readDescription(readSub(r, wire, field));
        else if (field === 2) metadata = readString(r, wire, field);
        else r.skip(wire);
      }
      if (!description) throw decodeError(`${name} lacks its description`);
      return metadata === undefined ? { kind: name, description } : { kind: name, description, metadata };
    }
    case 'Candidates': {
      const msg: SignalMessage = { kind: 'Candidates', candidates: [] };
      while (!r.done) {
        const [field, wire] = r.tag();
        if (field === 1) pushItem(msg.candidates, readCandidate(readSub(r, wire, field)));
        else if (field === 2) msg.end = readBool(r, wire, field);
        else r.skip(wire);
      }
      return msg;
    }
    case 'Description': {
      let type: 'offer' | 'answer' | undefined;
      let sdp: string | undefined;
      while (!r.done) {
        const [field, wire] = r.tag();
        if (field === 1) type = enumValue(SDP_TYPES, readUint(r, wire, field, MAX_UINT32), field) as 'offer' | 'answer';
        else if (field === 2) sdp = readString(r, wire, field, MAX_BODY_BYTES);
        else r.skip(wire);
      }
      if (type === undefined || sdp === undefined) throw decodeError('Description lacks a required field');
      return { kind: 'Description', type, sdp };
    }
    case 'Ice': {
      const candidates: IceCandidateInit[] = [];
      while (!r.done) {
        const [field, wire] = r.tag();
        if (field === 1) pushItem(candidates, readIce(readSub(r, wire, field)));
        else r.skip(wire);
      }
      return { kind: 'Ice', candidates };
    }
    case 'ChannelOpen':
    case 'ChannelClose': {
      let label = '';
      let options: ChannelOptions | undefined;
      while (!r.done) {
        const [field, wire] = r.tag();
        if (field === 1) label = readString(r, wire, field);
        else if (field === 2 && name === 'ChannelOpen') options = readChannelOptions(readSub(r, wire, field));
        else r.skip(wire);
      }
      if (name === 'ChannelClose') return { kind: 'ChannelClose', label };
      return options === undefined ? { kind: 'ChannelOpen', label } : { kind: 'ChannelOpen', label, options };
    }
    case 'Streams': {
      const streams: StreamInfo[] = [];
      while (!r.done) {
        const [field, wire] = r.tag();
        if (field === 1) pushItem(streams, readStream(readSub(r, wire, field)));
        else r.skip(wire);
      }
      return { kind: 'Streams', streams };
    }
    case 'Unshare': {
      let streamId: string | undefined;
      const tracks: string[] = [];
      while (!r.done) {
        const [field, wire] = r.tag();
        if (field === 1) streamId = readString(r, wire, field);
        else if (field === 2) pushItem(tracks, readString(r, wire, field));
        else r.skip(wire);
      }
      if (streamId === undefined) throw decodeError('Unshare lacks its stream id');
      return { kind: 'Unshare', streamId, tracks };
    }
    case 'Ping':
    case 'Pong': {
      let time: number | undefined;
      while (!r.done) {
        const [field, wire] = r.tag();
        if (field === 1) time = readUint(r, wire, field, Number.MAX_SAFE_INTEGER);
        else r.skip(wire);
      }
      if (time === undefined) throw decodeError(`${name} lacks its time`);
      return { kind: name, time };
    }
    case 'Negotiate': {
      let audio = 0;
      let video = 0;
      while (!r.done) {
        const [field, wire] = r.tag();
        if (field === 1) audio = readUint(r, wire, field, MAX_ITEMS);
        else if (field === 2) video = readUint(r, wire, field, MAX_ITEMS);
        else r.skip(wire);
      }
      return { kind: 'Negotiate', audio, video };
    }
    case 'Bye':
    case 'Leave':
      while (!r.done) r.skip(r.tag()[1]);
      return { kind: name };
  }
}

function checkCount(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > MAX_ITEMS) throw invalid(`m-line count ${n} is not an integer from 0 to ${MAX_ITEMS}`);
  return n;
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
