import { createDebug } from '../../debug.js';
import { Addon } from '../addon.js';
import { PeerixError, toPeerixError } from '../../errors.js';
import type { Peer } from '../../peer.js';
import type { RemotePeer } from '../../remote-peer.js';
import { HybridClock } from './clock.js';
import { parseFrozen, utf8Length, type JsonValue } from './json-value.js';
import { StateStore, type StateRecord } from './store.js';
import { decodeFrame, encodeHello, encodePut, encodeSync, type WireLimits } from './wire.js';

const debug = createDebug('peerix:state');

export interface SharedStateOptions {
  /** Data channel label (default `peerix-state`); states with different labels are separate documents. */
  label?: string;
  /** Largest value, as UTF-8 JSON (default 64 KiB). */
  maxValueBytes?: number;
  /** Largest document: keys plus values plus 32 bytes a key (default 1 MiB). */
  maxDocBytes?: number;
  /** Longest key, in UTF-8 bytes (default 1024). */
  maxKeyBytes?: number;
  /** Deletes remembered so they win over older writes arriving late (default 1000; the oldest go first). */
  maxTombstones?: number;
  /** Remote clocks more than this many ms ahead are not followed by ours (default 60 s). */
  maxClockDrift?: number;
}

export interface SharedStateEvents {
  /** A key changed: `remote` is the peer it came from, absent for changes made here. `value` is undefined after a delete. */
  change: { key: string; value: JsonValue | undefined; remote?: RemotePeer };
  /** This state and `remote`'s were compared (and exchanged if they differed) after a connect. */
  sync: { remote: RemotePeer };
  /** Bad input from a remote (malformed, oversized, refused); the state is left as it was. */
  error: { error: PeerixError; remote?: RemotePeer };
}

/** How long after learning second-hand writes the other peers are asked to compare. */
const REHELLO_DELAY_MS = 1000;
/** At most one whole state to a remote this often: a hello costs little, the answer may not. */
const STATE_INTERVAL_MS = 1000;

/**
 * A JSON map replicated over a room: last writer wins per key by hybrid
 * logical clock (writer id as tie-break). `peer.attach(state)` to use it.
 */
export class SharedState extends Addon<SharedStateEvents, Peer> {
  readonly label: string;
  readonly options: Readonly<Required<Omit<SharedStateOptions, 'label'>>>;
  #store: StateStore;
  #clock: HybridClock;
  #wire: WireLimits;
  #idFixed = false;
  #rehello: ReturnType<typeof setTimeout> | undefined;
  #rehelloSkip = new Set<RemotePeer>();
  #stateSentAt = new WeakMap<RemotePeer, number>();
  #stateTimers = new Map<RemotePeer, ReturnType<typeof setTimeout>>();

  constructor({ label = 'peerix-state', ...options }: SharedStateOptions = {}) {
    super();
    if (typeof label !== 'string' || !label) throw new PeerixError('ERR_INVALID_ARGUMENT', 'SharedState: label must be a non-empty string');
    this.label = label;
    this.options = Object.freeze({
      maxValueBytes: positive(options.maxValueBytes, 64 * 1024, 'maxValueBytes'),
      maxDocBytes: positive(options.maxDocBytes, 1024 * 1024, 'maxDocBytes'),
      maxKeyBytes: positive(options.maxKeyBytes, 1024, 'maxKeyBytes'),
      maxTombstones: positive(options.maxTombstones, 1000, 'maxTombstones'),
      maxClockDrift: positive(options.maxClockDrift, 60_000, 'maxClockDrift'),
    });
    const o = this.options;
    this.#store = new StateStore({ maxDocBytes: o.maxDocBytes, maxTombstones: o.maxTombstones });
    this.#clock = new HybridClock(provisionalId(), { maxDrift: o.maxClockDrift });
    // A whole state, JSON-escaped twice at worst, plus entry overhead.
    this.#wire = { maxKeyBytes: o.maxKeyBytes, maxValueBytes: o.maxValueBytes, maxFrameChars: 4 * o.maxDocBytes + 200 * o.maxTombstones + 65536 };
  }

  /** The writer id in this state's clock: the first attached peer's id (a random one until then). */
  get id(): string {
    return this.#clock.node;
  }

  /** The value of `key` (frozen: copy it to change it, then `set`), or undefined. */
  get<T extends JsonValue = JsonValue>(key: string): T | undefined {
    return this.#store.get(key)?.value as T | undefined;
  }

  has(key: string): boolean {
    return this.#store.get(key)?.json !== undefined;
  }

  /** Keys with a value, sorted (so every peer lists them alike). */
  keys(): string[] {
    return [...this.#store.liveKeys()].sort();
  }

  get size(): number {
    return this.#store.size;
  }

  entries(): Array<[string, JsonValue]> {
    return this.keys().map((key) => [key, this.#store.get(key)!.value!]);
  }

  /** The whole state as a plain object. */
  toJSON(): Record<string, JsonValue> {
    return Object.fromEntries(this.entries());
  }

  /** Bytes the document holds, as counted against `maxDocBytes`. */
  get bytes(): number {
    return this.#store.docBytes;
  }

  /** Sets `key` to a JSON value for everyone. Throws `ERR_INVALID_ARGUMENT` or `ERR_TOO_LARGE`. */
  set(key: string, value: unknown): void {
    this.#checkKey(key);
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch (error) {
      throw toPeerixError(error, 'ERR_INVALID_ARGUMENT', `SharedState.set(${JSON.stringify(key)}): value is not JSON`);
    }
    if (json === undefined) throw new PeerixError('ERR_INVALID_ARGUMENT', `SharedState.set(${JSON.stringify(key)}): ${typeof value} is not a JSON value (delete() removes a key)`);
    const bytes = utf8Length(json);
    if (bytes > this.options.maxValueBytes) {
      throw new PeerixError('ERR_TOO_LARGE', `SharedState.set(${JSON.stringify(key)}): value is ${bytes} bytes as JSON, more than maxValueBytes (${this.options.maxValueBytes})`);
    }
    const docBytes = this.#store.bytesWith(key, json);
    // Over the limit (remote writes may take it there), a write that does not grow it still goes.
    if (docBytes > this.options.maxDocBytes && docBytes > this.#store.docBytes) {
      throw new PeerixError('ERR_TOO_LARGE', `SharedState.set(${JSON.stringify(key)}): the document would be ${docBytes} bytes, more than maxDocBytes (${this.options.maxDocBytes})`);
    }
    let frozen: JsonValue;
    try {
      frozen = parseFrozen(json);
    } catch (error) {
      throw toPeerixError(error, 'ERR_INVALID_ARGUMENT', `SharedState.set(${JSON.stringify(key)}): value`);
    }
    this.#writeLocal({ key, stamp: this.#clock.tickAfter(this.#store.get(key)?.stamp), json, value: frozen });
  }

  /** Deletes `key` for everyone; false when it held no value. */
  delete(key: string): boolean {
    this.#checkKey(key);
    const old = this.#store.get(key);
    if (old?.json === undefined) return false;
    this.#writeLocal({ key, stamp: this.#clock.tickAfter(old.stamp), json: undefined, value: undefined });
    return true;
  }

  /** Deletes every key. */
  clear(): void {
    for (const key of this.keys()) this.delete(key);
  }

  /**
   * Compares states with every connected peer now and exchanges them where
   * they differ (connects do this by themselves; `sync` events follow).
   */
  resync(): void {
    const hello = encodeHello(this.#store.digest);
    for (const remote of this.#openRemotes()) this.#send(remote, hello);
  }

  override attach(peer: Peer): void {
    super.attach(peer);
    this.listen(peer, 'channel:open', ({ remote, label }) => {
      // One side starts: the other answers with its state only if the digests differ.
      if (label === this.label && peer.id < remote.id) this.#send(remote, encodeHello(this.#store.digest));
    });
    this.listen(peer, 'channel:message', ({ remote, label, data }) => {
      if (label === this.label) this.#receive(peer, remote, data);
    });
    peer.open({ label: this.label, ordered: true });
    // Channels the remotes opened before we were attached: their hello is gone, so we start.
    const hello = encodeHello(this.#store.digest);
    for (const remote of peer.connections.values()) if (remote.channels.get(this.label)?.readyState === 'open') this.#send(remote, hello);
    void peer.ready.then(() => {
      if (!this.#idFixed && peer.id && this.peers.includes(peer)) {
        this.#idFixed = true;
        this.#clock.node = peer.id;
      }
    });
  }

  override detach(peer: Peer): void {
    super.detach(peer);
    peer.close({ label: this.label });
    if (!this.peers.length) {
      clearTimeout(this.#rehello);
      this.#rehello = undefined;
      for (const timer of this.#stateTimers.values()) clearTimeout(timer);
      this.#stateTimers.clear();
    }
  }

  #checkKey(key: string): void {
    if (typeof key !== 'string') throw new PeerixError('ERR_INVALID_ARGUMENT', 'SharedState: keys are strings');
    if (utf8Length(key) > this.options.maxKeyBytes) throw new PeerixError('ERR_TOO_LARGE', `SharedState: key longer than maxKeyBytes (${this.options.maxKeyBytes})`);
  }

  #writeLocal(record: StateRecord): void {
    this.#store.apply(record);
    const frame = encodePut([record]);
    for (const remote of this.#openRemotes()) this.#send(remote, frame);
    this.emit('change', { key: record.key, value: record.value });
  }

  #receive(peer: Peer, remote: RemotePeer, data: unknown): void {
    try {
      const frame = decodeFrame(data, this.#wire);
      switch (frame.type) {
        case 'hello':
          if (frame.ack) this.emit('sync', { remote });
          else if (frame.digest === this.#store.digest) {
            this.#send(remote, encodeHello(this.#store.digest, true));
            this.emit('sync', { remote });
          } else {
            this.#sendState(remote, false);
          }
          return;
        case 'sync': {
          const secondHand = this.#merge(peer, remote, frame.records);
          if (!frame.final) {
            const mine = this.#store.digest;
            // They lack something we hold: send it all back (as a final answer, so it never ping-pongs).
            if (mine === frame.digest) this.#send(remote, encodeHello(mine, true));
            else this.#sendState(remote, true);
          }
          if (secondHand) this.#scheduleRehello(remote);
          this.emit('sync', { remote });
          return;
        }
        case 'put':
          this.#merge(peer, remote, frame.records);
          return;
      }
    } catch (error) {
      this.#error(toPeerixError(error, 'ERR_DECODE', 'dropped a state frame', remote.id), remote);
    }
  }

  /** Applies remote records; true when some came second-hand (written by neither side). */
  #merge(peer: Peer, remote: RemotePeer, records: StateRecord[]): boolean {
    const applied: StateRecord[] = [];
    let refused = 0;
    let secondHand = false;
    for (const record of records) {
      this.#clock.observe(record.stamp);
      const before = this.#store.get(record.key);
      const result = this.#store.apply(record, { remote: true });
      if (result === 'too-large') refused++;
      if (result !== 'applied') continue;
      applied.push(record);
      if (record.stamp.node !== remote.id && record.stamp.node !== this.id) secondHand = true;
      if (before?.json !== record.json) this.emit('change', { key: record.key, value: record.value, remote });
    }
    if (refused) {
      const limit = this.options.maxDocBytes * 2;
      this.#error(new PeerixError('ERR_TOO_LARGE', `refused ${refused} write(s) from ${remote.id.slice(0, 8)}: the document would pass ${limit} bytes`, { peerId: remote.id }), remote);
    }
    // Attached to several peers (rooms): carry what one room wrote to the others.
    if (applied.length && this.peers.length > 1) {
      const frame = encodePut(applied);
      for (const other of this.#openRemotes()) if (peer.connections.get(other.id) !== other) this.#send(other, frame);
    }
    return secondHand;
  }

  /** Someone may have written to us only through `from`: ask the others to compare, once things settle. */
  #scheduleRehello(from: RemotePeer): void {
    this.#rehelloSkip.add(from);
    if (this.#rehello !== undefined) return;
    this.#rehello = setTimeout(() => {
      this.#rehello = undefined;
      const skip = this.#rehelloSkip;
      this.#rehelloSkip = new Set();
      const hello = encodeHello(this.#store.digest);
      for (const remote of this.#openRemotes()) if (!skip.has(remote)) this.#send(remote, hello);
    }, REHELLO_DELAY_MS);
  }

  /** Sends the whole state, at most once per STATE_INTERVAL_MS per remote (later requests wait and merge). */
  #sendState(remote: RemotePeer, final: boolean): void {
    if (this.#stateTimers.has(remote)) return;
    const wait = (this.#stateSentAt.get(remote) ?? -Infinity) + STATE_INTERVAL_MS - Date.now();
    if (wait > 0) {
      this.#stateTimers.set(remote, setTimeout(() => {
        this.#stateTimers.delete(remote);
        if (remote.channels.get(this.label)?.readyState === 'open') this.#sendState(remote, final);
      }, wait));
      return;
    }
    this.#stateSentAt.set(remote, Date.now());
    this.#send(remote, encodeSync(this.#store.digest, final, this.#store.records()));
  }

  *#openRemotes(): IterableIterator<RemotePeer> {
    for (const peer of this.peers) {
      for (const remote of peer.connections.values()) if (remote.channels.get(this.label)?.readyState === 'open') yield remote;
    }
  }

  #send(remote: RemotePeer, frame: string): void {
    // A failed send is caught up by the next connect's state exchange.
    const failed = (error: unknown): void => debug('send to', remote.id.slice(0, 8), 'failed:', error);
    try {
      remote.send(frame, { label: this.label }).catch(failed);
    } catch (error) {
      failed(error); // a connection closing under us may throw instead of rejecting
    }
  }

  #error(error: PeerixError, remote?: RemotePeer): void {
    debug('error', error.code, error.message);
    this.emit('error', { error, ...(remote ? { remote } : {}) });
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new PeerixError('ERR_INVALID_ARGUMENT', `SharedState: ${name} must be a positive number`);
  return value;
}

function provisionalId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `~${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
