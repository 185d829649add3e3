import { compareStamps, type Stamp } from './clock.js';
import { Digest, hashRecord, type RecordHash } from './digest.js';
import { utf8Length, type JsonValue } from './json-value.js';

/** One key's latest write: a value, or a tombstone (`json` undefined) left by a delete. */
export interface StateRecord {
  readonly key: string;
  readonly stamp: Stamp;
  /** The value's JSON text as its writer made it; undefined for a tombstone. */
  readonly json: string | undefined;
  readonly value: JsonValue | undefined;
}

interface Held extends StateRecord {
  readonly bytes: number;
  readonly hash: RecordHash;
}

export interface StoreLimits {
  maxDocBytes: number;
  maxTombstones: number;
}

/** Bytes counted per live key on top of its key and value text. */
export const RECORD_OVERHEAD = 32;
/**
 * Remote writes may take a document past `maxDocBytes` (concurrent writers each
 * checked a smaller one) up to this factor; beyond it they are refused.
 */
export const REMOTE_SLACK = 2;

export type ApplyResult = 'applied' | 'stale' | 'too-large';

/** Total order of two records for one key: stamp, then value text (a tombstone sorts lowest). */
export function compareRecords(a: StateRecord, b: StateRecord): number {
  return compareStamps(a.stamp, b.stamp) || ((a.json ?? '') < (b.json ?? '') ? -1 : (a.json ?? '') > (b.json ?? '') ? 1 : 0);
}

/**
 * The replicated map's data: last writer wins per key, bounded live bytes and
 * tombstones, and a digest that changes with every record. No I/O here.
 */
export class StateStore {
  readonly limits: StoreLimits;
  #records = new Map<string, Held>();
  #digest = new Digest();
  #docBytes = 0;
  #tombstones = 0;

  constructor(limits: StoreLimits) {
    this.limits = limits;
  }

  get(key: string): StateRecord | undefined {
    return this.#records.get(key);
  }

  /** Bytes held by live keys (keys, values and a fixed overhead each). */
  get docBytes(): number {
    return this.#docBytes;
  }

  /** Keys with a value. */
  get size(): number {
    return this.#records.size - this.#tombstones;
  }

  get tombstones(): number {
    return this.#tombstones;
  }

  get digest(): string {
    return this.#digest.toString();
  }

  /** Live bytes after `key` took a value of `json`. */
  bytesWith(key: string, json: string | undefined): number {
    const old = this.#records.get(key);
    return this.#docBytes - (old?.json !== undefined ? old.bytes : 0) + (json !== undefined ? recordBytes(key, json) : 0);
  }

  /** Every record, tombstones included (for a whole-state exchange). */
  records(): IterableIterator<StateRecord> {
    return this.#records.values();
  }

  *liveKeys(): IterableIterator<string> {
    for (const record of this.#records.values()) if (record.json !== undefined) yield record.key;
  }

  /** Applies a write if it beats what the key holds (local writes always do: their stamp is newer). */
  apply(record: StateRecord, { remote = false } = {}): ApplyResult {
    const old = this.#records.get(record.key);
    if (old && compareRecords(record, old) <= 0) return 'stale';
    if (record.json === undefined) {
      // A tombstone for a key we never had, older than every tombstone kept while full, would go at once.
      if (!old && this.#tombstones >= this.limits.maxTombstones && this.#oldestTombstone(record.stamp) === undefined) return 'stale';
    } else if (remote && this.bytesWith(record.key, record.json) > this.limits.maxDocBytes * REMOTE_SLACK) {
      return 'too-large';
    }
    const held: Held = {
      ...record,
      bytes: record.json === undefined ? 0 : recordBytes(record.key, record.json),
      hash: hashRecord(`${record.key}\u0000${record.stamp.wall}.${record.stamp.counter}.${record.stamp.node}\u0000${record.json ?? '\u0001'}`),
    };
    if (old) this.#drop(old);
    this.#records.set(record.key, held);
    this.#digest.add(held.hash);
    if (held.json === undefined) this.#tombstones++;
    else this.#docBytes += held.bytes;
    this.#trimTombstones();
    return 'applied';
  }

  #drop(record: Held): void {
    this.#records.delete(record.key);
    this.#digest.remove(record.hash);
    if (record.json === undefined) this.#tombstones--;
    else this.#docBytes -= record.bytes;
  }

  /** Forgets the oldest tombstones beyond the limit (oldest by stamp: the same choice on every peer). */
  #trimTombstones(): void {
    while (this.#tombstones > this.limits.maxTombstones) {
      const oldest = this.#oldestTombstone();
      if (!oldest) return;
      this.#drop(oldest);
    }
  }

  /** The oldest tombstone, or with `olderThan`, the oldest one older than that stamp. */
  #oldestTombstone(olderThan?: Stamp): Held | undefined {
    let oldest: Held | undefined;
    for (const record of this.#records.values()) {
      if (record.json !== undefined) continue;
      if (!oldest || compareStamps(record.stamp, oldest.stamp) < 0) oldest = record;
    }
    if (oldest && olderThan && compareStamps(oldest.stamp, olderThan) >= 0) return undefined;
    return oldest;
  }
}

function recordBytes(key: string, json: string): number {
  return utf8Length(key) + utf8Length(json) + RECORD_OVERHEAD;
}
