import { PeerixError } from '../../errors.js';
import { MAX_CLOCK_PART } from './clock.js';
import { parseFrozen, utf8Length } from './json-value.js';
import type { StateRecord } from './store.js';

/**
 * SharedState frames: JSON text on the state channel.
 *   hello  {"t":"h","d":digest,"a":0|1}               on connect, from the peer with the smaller id;
 *                                                    a=1: "same digest here" (answers a hello or sync)
 *   sync   {"t":"s","d":digest,"f":0|1,"e":[entry…]}  the whole state; f=1 answers a sync
 *   put    {"t":"p","e":[entry…]}                     live writes
 * entry: [key, wall, counter, writer, valueJson?] (no valueJson: a delete).
 * Values travel as their writer's JSON text, so every peer keeps the same text.
 */
export type Frame =
  | { type: 'hello'; digest: string; ack: boolean }
  | { type: 'sync'; digest: string; final: boolean; records: StateRecord[] }
  | { type: 'put'; records: StateRecord[] };

export interface WireLimits {
  maxKeyBytes: number;
  maxValueBytes: number;
  maxFrameChars: number;
}

const MAX_NODE_CHARS = 128;
const MAX_DIGEST_CHARS = 64;

export function encodeHello(digest: string, ack = false): string {
  return JSON.stringify({ t: 'h', d: digest, a: ack ? 1 : 0 });
}

export function encodeSync(digest: string, final: boolean, records: Iterable<StateRecord>): string {
  return `{"t":"s","d":${JSON.stringify(digest)},"f":${final ? 1 : 0},"e":[${[...records].map(encodeEntry).join(',')}]}`;
}

export function encodePut(records: Iterable<StateRecord>): string {
  return `{"t":"p","e":[${[...records].map(encodeEntry).join(',')}]}`;
}

function encodeEntry({ key, stamp, json }: StateRecord): string {
  const head = `[${JSON.stringify(key)},${stamp.wall},${stamp.counter},${JSON.stringify(stamp.node)}`;
  return json === undefined ? `${head}]` : `${head},${JSON.stringify(json)}]`;
}

/** Parses and checks one frame; throws a PeerixError that says what was wrong. */
export function decodeFrame(data: unknown, limits: WireLimits): Frame {
  if (typeof data !== 'string') throw new PeerixError('ERR_DECODE', 'state frame is binary, expected JSON text');
  if (data.length > limits.maxFrameChars) throw new PeerixError('ERR_TOO_LARGE', `state frame of ${data.length} characters (limit ${limits.maxFrameChars})`);
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    throw new PeerixError('ERR_DECODE', 'state frame is not JSON');
  }
  if (!isObject(frame)) throw new PeerixError('ERR_DECODE', 'state frame is not a JSON object');
  switch (frame.t) {
    case 'h':
      if (frame.a !== 0 && frame.a !== 1) throw new PeerixError('ERR_DECODE', 'hello frame: "a" must be 0 or 1');
      return { type: 'hello', digest: readDigest(frame.d), ack: frame.a === 1 };
    case 's':
      if (frame.f !== 0 && frame.f !== 1) throw new PeerixError('ERR_DECODE', 'sync frame: "f" must be 0 or 1');
      return { type: 'sync', digest: readDigest(frame.d), final: frame.f === 1, records: readEntries(frame.e, limits) };
    case 'p':
      return { type: 'put', records: readEntries(frame.e, limits) };
    default:
      throw new PeerixError('ERR_DECODE', `unknown state frame type ${JSON.stringify(frame.t)?.slice(0, 20)}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readDigest(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_DIGEST_CHARS) throw new PeerixError('ERR_DECODE', 'state frame: bad digest');
  return value;
}

function readEntries(value: unknown, limits: WireLimits): StateRecord[] {
  if (!Array.isArray(value)) throw new PeerixError('ERR_DECODE', 'state frame: "e" must be an array');
  const records: StateRecord[] = [];
  const seen = new Set<string>();
  for (const entry of value as unknown[]) {
    const record = readEntry(entry, limits);
    // One key twice in a frame would make the outcome depend on order: refuse.
    if (seen.has(record.key)) throw new PeerixError('ERR_DECODE', 'state frame: a key appears twice');
    seen.add(record.key);
    records.push(record);
  }
  return records;
}

function readEntry(entry: unknown, limits: WireLimits): StateRecord {
  if (!Array.isArray(entry) || (entry.length !== 4 && entry.length !== 5)) throw new PeerixError('ERR_DECODE', 'state entry must be [key, wall, counter, writer, value?]');
  const [key, wall, counter, node, json] = entry as unknown[];
  if (typeof key !== 'string') throw new PeerixError('ERR_DECODE', 'state entry: key is not a string');
  if (utf8Length(key) > limits.maxKeyBytes) throw new PeerixError('ERR_TOO_LARGE', `state entry: key longer than ${limits.maxKeyBytes} bytes`);
  if (!isClockPart(wall) || !isClockPart(counter)) throw new PeerixError('ERR_DECODE', 'state entry: clock is not a non-negative integer below 2^48');
  if (typeof node !== 'string' || !node || node.length > MAX_NODE_CHARS) throw new PeerixError('ERR_DECODE', 'state entry: bad writer id');
  const stamp = { wall, counter, node };
  if (entry.length === 4) return { key, stamp, json: undefined, value: undefined };
  if (typeof json !== 'string') throw new PeerixError('ERR_DECODE', 'state entry: value is not JSON text');
  if (utf8Length(json) > limits.maxValueBytes) throw new PeerixError('ERR_TOO_LARGE', `state entry: value of key ${JSON.stringify(key.slice(0, 40))} is larger than ${limits.maxValueBytes} bytes`);
  try {
    return { key, stamp, json, value: parseFrozen(json) };
  } catch (error) {
    throw new PeerixError('ERR_DECODE', `state entry: value is not valid JSON (${error instanceof Error ? error.message : 'parse failed'})`);
  }
}

function isClockPart(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < MAX_CLOCK_PART;
}
