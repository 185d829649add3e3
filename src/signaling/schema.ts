/**
 * The signaling wire schema: every message kind, its number and its fields
 * (number, name, type, rule), the nested messages and the enum tables, declared
 * once. The codec (`codec.ts`) encodes and decodes any message from these
 * tables; `valid` below is the one place values are checked (the codec and
 * the SDP compaction in `sdp.ts` both use it). docs/PROTOCOL.md's tables are
 * checked against this file by test/signaling/protocol-doc.test.ts.
 *
 * Adding a message: a number in `Kind`, its fields in `MESSAGES`, its type in
 * `messages.ts` (a compile-time check there keeps the two in step), and a row
 * in docs/PROTOCOL.md (`node scripts/protocol-tables.mjs` rewrites the tables).
 */

/** Largest message body (and in-band frame body), in bytes. */
export const MAX_BODY_BYTES = 65536;
/** Largest string field, in UTF-8 bytes (full SDP text may use the whole body). */
export const MAX_STRING_BYTES = 16384;
/** Most candidates, streams or tracks in one message. */
export const MAX_ITEMS = 64;

const U16 = 0xffff;
const U32 = 0xffffffff;

/** Message kind numbers, as they appear on the wire. */
export const Kind = {
  // Broker (discovery and first connection)
  Announce: 1,
  BrokerOffer: 2,
  BrokerAnswer: 3,
  BrokerCandidates: 4,
  BrokerLeave: 5,
  // In-band (signaling data channel)
  Description: 16,
  Candidates: 17,
  ChannelOpen: 18,
  ChannelClose: 19,
  Streams: 20,
  Unshare: 21,
  Ping: 22,
  Pong: 23,
  Leave: 24,
  Negotiate: 25,
  MediaRequest: 26,
} as const;
export type KindName = keyof typeof Kind;
export type KindNumber = (typeof Kind)[KindName];

// ---------------------------------------------------------------------------
// Enums: `values[i]` travels as `first + i`; any other number is invalid.

export interface EnumType<V extends string = string> {
  readonly type: 'enum';
  readonly name: string;
  readonly values: readonly V[];
  readonly first: number;
}

const enumOf = <const V extends string>(name: string, first: number, values: readonly V[]): EnumType<V> => ({ type: 'enum', name, values, first });

export const SdpType = enumOf('SdpType', 1, ['offer', 'answer']);
export const Setup = enumOf('Setup', 1, ['actpass', 'active', 'passive']);
export const Protocol = enumOf('Protocol', 0, ['udp', 'tcp']);
export const CandidateType = enumOf('CandidateType', 0, ['host', 'srflx', 'prflx', 'relay']);
export const TcpType = enumOf('TcpType', 1, ['active', 'passive', 'so']);

/** The string values of an enum type. */
export type EnumValue<E> = E extends EnumType<infer V> ? V : never;

/** True when `value` is one of the enum's values. */
export function isEnumValue<V extends string>(type: EnumType<V>, value: unknown): value is V {
  return type.values.includes(value as V);
}

// ---------------------------------------------------------------------------
// Field types

/** ICE foundations: 1–32 ice-chars (RFC 8839). */
export const FOUNDATION = /^[A-Za-z0-9+/]{1,32}$/;
/** An SDP `o=` line's session id and version (sdp.ts `sdpOrigin`): decimals of up to 20 digits. */
const ORIGIN = /^\d{1,20} \d{1,20}$/;
/** Candidate addresses: IPv4, IPv6 (hex, no zone) or a host name such as an mDNS `<uuid>.local`. */
export const ADDRESS = /^[A-Za-z0-9._:-]{1,255}$/;

export type FieldType =
  /** Unsigned integer, varint. */
  | { readonly type: 'uint'; readonly min: number; readonly max: number }
  /** Milliseconds: any finite number ≥ 0, rounded by the encoder. */
  | { readonly type: 'time' }
  | { readonly type: 'bool' }
  | EnumType
  /** UTF-8 text of at most `max` bytes, matching `pattern` when given. */
  | { readonly type: 'string'; readonly max: number; readonly pattern?: RegExp }
  /** Raw bytes of exactly `size` bytes. */
  | { readonly type: 'bytes'; readonly size: number }
  /**
   * Text that travels in field n as a varint when it is a canonical decimal of at
   * most `bits` bits, and in field n + 1 as a string otherwise.
   */
  | { readonly type: 'decimal'; readonly bits: 32 | 64; readonly max: number; readonly pattern?: RegExp }
  /** Address text: 4 or 16 bytes in field n when it is canonical IP text, a string in field n + 1 otherwise. */
  | { readonly type: 'address' }
  /**
   * Text of at most `max` bytes that travels as raw bytes in field `bytesField` when it is
   * lowercase hex of even length (Firefox's ICE credentials: half the size), and as a
   * string in field n otherwise.
   */
  | { readonly type: 'hex'; readonly max: number; readonly bytesField: number }
  | { readonly type: 'message'; readonly of: MessageSpec };

const uint = (max: number, min = 0): FieldType => ({ type: 'uint', min, max });
const string = (max = MAX_STRING_BYTES, pattern?: RegExp): FieldType => ({ type: 'string', max, pattern });
const nested = (of: MessageSpec): FieldType => ({ type: 'message', of });
const TIME: FieldType = { type: 'time' };
const BOOL: FieldType = { type: 'bool' };
const ADDRESS_TYPE: FieldType = { type: 'address' };
const hexText = (max: number, bytesField: number): FieldType => ({ type: 'hex', max, bytesField });

/**
 * How a field is written and read:
 * - `required`: always written; a message without it is invalid;
 * - `always`: always written; takes `value` when absent;
 * - `default`: omitted when equal to `value`, takes it when absent;
 * - `optional`: written when set; absent stays absent;
 * - `flag`: a bool written (and present after decoding) only when true;
 * - `repeated`: one field per item, ≤ MAX_ITEMS items; an array (maybe empty);
 * - `full`: when set, the message is this text alone: later fields are neither
 *   written nor required, and decode to their empty values.
 */
export type Rule = 'required' | 'always' | 'default' | 'optional' | 'flag' | 'repeated' | 'full';

export interface Field<N extends string = string, R extends Rule = Rule> {
  readonly n: number;
  readonly name: N;
  readonly of: FieldType;
  readonly rule: R;
  /** The default of `always` and `default` fields. */
  readonly value?: unknown;
  /** Name of the alternative field (n + 1 for `decimal` and `address`, `bytesField` for `hex`; docs only). */
  readonly alt?: string;
}

export interface MessageSpec<F extends readonly Field[] = readonly Field[]> {
  readonly name: string;
  readonly fields: F;
}

const field = <const N extends string, const R extends Rule>(n: number, name: N, of: FieldType, rule: R, value?: unknown): Field<N, R> => ({
  n,
  name,
  of,
  rule,
  value,
  alt: of.type === 'decimal' || of.type === 'address' ? `${name}Text` : of.type === 'hex' ? `${name}Bytes` : undefined,
});

const message = <const F extends readonly Field[]>(name: string, fields: F): MessageSpec<F> => ({ name, fields });

// ---------------------------------------------------------------------------
// Nested messages

export const CANDIDATE = message('CompactCandidate', [
  field(1, 'foundation', { type: 'decimal', bits: 32, max: 255, pattern: FOUNDATION }, 'required'),
  field(3, 'component', uint(256, 1), 'default', 1),
  field(4, 'protocol', Protocol, 'default', 'udp'),
  field(5, 'priority', uint(U32), 'required'),
  field(6, 'address', ADDRESS_TYPE, 'required'),
  field(8, 'port', uint(U16), 'required'),
  field(9, 'type', CandidateType, 'default', 'host'),
  field(10, 'relatedAddress', ADDRESS_TYPE, 'optional'),
  field(12, 'relatedPort', uint(U16), 'optional'),
  field(13, 'tcpType', TcpType, 'optional'),
]);

export const DESCRIPTION = message('CompactDescription', [
  field(1, 'type', SdpType, 'required'),
  field(2, 'sdp', string(MAX_BODY_BYTES), 'full'),
  field(3, 'ufrag', hexText(256, 14), 'required'),
  field(4, 'pwd', hexText(256, 15), 'required'),
  field(5, 'fingerprint', { type: 'bytes', size: 32 }, 'required'),
  field(6, 'setup', Setup, 'required'),
  field(7, 'sessionId', { type: 'decimal', bits: 64, max: 256 }, 'required'),
  field(9, 'sessionVersion', uint(Number.MAX_SAFE_INTEGER), 'always', 0),
  field(10, 'sctpPort', uint(U16), 'default', 5000),
  field(11, 'maxMessageSize', uint(Number.MAX_SAFE_INTEGER), 'default', 262144),
  field(12, 'candidates', nested(CANDIDATE), 'repeated'),
  field(13, 'endOfCandidates', BOOL, 'flag'),
]);

export const ICE_CANDIDATE = message('IceCandidate', [
  field(1, 'candidate', string(), 'always', ''),
  field(2, 'sdpMid', string(256), 'optional'),
  field(3, 'sdpMLineIndex', uint(U16), 'optional'),
]);

export const CHANNEL_OPTIONS = message('ChannelOptions', [
  field(1, 'ordered', BOOL, 'optional'),
  field(2, 'maxPacketLifeTime', uint(U16), 'optional'),
  field(3, 'maxRetransmits', uint(U16), 'optional'),
  field(4, 'protocol', string(), 'optional'),
]);

export const STREAM_INFO = message('StreamInfo', [
  field(1, 'id', string(), 'required'),
  field(2, 'label', string(), 'default', ''),
  field(3, 'tracks', string(), 'repeated'),
]);

// ---------------------------------------------------------------------------
// Messages (the kind travels outside the body)

const description = field(1, 'description', nested(DESCRIPTION), 'required');
const metadata = field(2, 'metadata', string(), 'optional');
// Connection tags (connection-tags.ts): the sender's connection, and the receiver's once known.
const from = field(3, 'from', uint(U32, 1), 'optional');
const to = field(4, 'to', uint(U32, 1), 'optional');
const label = field(1, 'label', string(), 'always', '');
const time = field(1, 'time', TIME, 'required');
const count = (n: number, name: 'audio' | 'video') => field(n, name, uint(MAX_ITEMS), 'always', 0);

export const MESSAGES = {
  Announce: message('Announce', []),
  BrokerOffer: message('BrokerOffer', [description, metadata, from, to]),
  BrokerAnswer: message('BrokerAnswer', [description, metadata, from, to]),
  BrokerCandidates: message('BrokerCandidates', [field(1, 'candidates', nested(CANDIDATE), 'repeated'), field(2, 'end', BOOL, 'optional'), from, to]),
  BrokerLeave: message('BrokerLeave', []),
  Description: message('Description', [field(1, 'type', SdpType, 'required'), field(2, 'sdp', string(MAX_BODY_BYTES), 'required')]),
  Candidates: message('Candidates', [field(1, 'candidates', nested(ICE_CANDIDATE), 'repeated')]),
  ChannelOpen: message('ChannelOpen', [label, field(2, 'options', nested(CHANNEL_OPTIONS), 'optional')]),
  ChannelClose: message('ChannelClose', [label]),
  Streams: message('Streams', [field(1, 'streams', nested(STREAM_INFO), 'repeated')]),
  Unshare: message('Unshare', [field(1, 'streamId', string(), 'required'), field(2, 'tracks', string(), 'repeated')]),
  Ping: message('Ping', [time]),
  Pong: message('Pong', [time]),
  Leave: message('Leave', []),
  Negotiate: message('Negotiate', [count(1, 'audio'), count(2, 'video'), field(3, 'seen', string(48, ORIGIN), 'optional')]),
  MediaRequest: message('MediaRequest', [label, field(2, 'off', BOOL, 'flag'), field(3, 'maxHeight', uint(16384, 1), 'optional')]),
} as const satisfies Record<KindName, MessageSpec>;

// ---------------------------------------------------------------------------
// Validation: the one check of every value, used when encoding (a bad value is
// ERR_INVALID_ARGUMENT), after decoding (ERR_DECODE) and by sdp.ts.

/** True when `value` is a valid value of `type` (string and item caps are checked in bytes by the codec). */
export function valid(type: FieldType, value: unknown): boolean {
  switch (type.type) {
    case 'uint':
      return Number.isInteger(value) && (value as number) >= type.min && (value as number) <= type.max;
    case 'time':
      return typeof value === 'number' && value >= 0 && Math.round(value) <= Number.MAX_SAFE_INTEGER;
    case 'bool':
      return true; // written as truthiness, read as 0 or 1
    case 'enum':
      return isEnumValue(type, value);
    case 'string':
      return typeof value === 'string' && (!type.pattern || type.pattern.test(value));
    case 'hex':
      return typeof value === 'string';
    case 'bytes':
      return value instanceof Uint8Array && value.length === type.size;
    case 'decimal':
      return typeof value === 'string' && value !== '' && (!type.pattern || type.pattern.test(value));
    case 'address':
      return typeof value === 'string' && ADDRESS.test(value);
    case 'message':
      return typeof value === 'object' && value !== null && validMessage(type.of, value);
  }
}

/** True when every field of `value` is valid for `spec`. */
export function validMessage(spec: MessageSpec, value: object): boolean {
  const record = value as Record<string, unknown>;
  for (const f of spec.fields) {
    const v = record[f.name];
    if (f.rule === 'full' && v !== undefined) return valid(f.of, v);
    if (f.rule === 'repeated') {
      if (!Array.isArray(v) || v.length > MAX_ITEMS || !v.every((item) => valid(f.of, item))) return false;
    } else if (v === undefined || v === null ? f.rule === 'required' || f.rule === 'always' || f.rule === 'default' : !valid(f.of, v)) {
      return false;
    }
  }
  return true;
}

/** The value a field takes when a `full` message leaves it out. */
export function emptyValue(type: FieldType): unknown {
  switch (type.type) {
    case 'enum':
      return type.values[0];
    case 'string':
    case 'decimal':
    case 'address':
    case 'hex':
      return '';
    case 'bytes':
      return new Uint8Array(0);
    default:
      return 0;
  }
}
