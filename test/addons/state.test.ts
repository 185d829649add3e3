// Hybrid logical clock, last-writer-wins merge, tombstones and limits of SharedState's store:
// pure logic, no network.
import { expect } from '@open-wc/testing';
import { HybridClock, compareStamps, type Stamp } from '../../src/addons/state/clock.js';
import { StateStore, type StateRecord } from '../../src/addons/state/store.js';
import { decodeFrame, encodePut, encodeSync } from '../../src/addons/state/wire.js';
import { parseFrozen } from '../../src/addons/state/json-value.js';
import { prng } from '../prng.js';


const limits = { maxDocBytes: 1 << 20, maxTombstones: 1000 };
const rec = (key: string, wall: number, counter: number, node: string, value?: unknown): StateRecord => {
  const json = value === undefined ? undefined : JSON.stringify(value);
  return { key, stamp: { wall, counter, node }, json, value: json === undefined ? undefined : parseFrozen(json) };
};
const contents = (store: StateStore): Record<string, unknown> => Object.fromEntries([...store.liveKeys()].map((k) => [k, store.get(k)!.value]));

describe('SharedState: hybrid logical clock', () => {
  it('ticks strictly upward while the wall clock stands still or goes back', () => {
    let now = 1000;
    const clock = new HybridClock('a', { now: () => now });
    const stamps: Stamp[] = [clock.tick(), clock.tick()];
    now = 900; // the system clock was set back
    stamps.push(clock.tick());
    now = 2000;
    stamps.push(clock.tick());
    for (let i = 1; i < stamps.length; i++) expect(compareStamps(stamps[i - 1]!, stamps[i]!)).to.equal(-1);
    expect(stamps.map((s) => [s.wall, s.counter])).to.deep.equal([[1000, 0], [1000, 1], [1000, 2], [2000, 0]]);
  });

  it('follows a remote clock that is ahead, within maxDrift only', () => {
    const now = 1000;
    const clock = new HybridClock('a', { now: () => now, maxDrift: 500 });
    clock.observe({ wall: 1400, counter: 7, node: 'b' });
    expect(clock.tick()).to.deep.equal({ wall: 1400, counter: 8, node: 'a' });
    clock.observe({ wall: 99_999_999, counter: 0, node: 'evil' }); // far ahead: not followed
    expect(clock.tick()).to.deep.equal({ wall: 1400, counter: 9, node: 'a' });
  });

  it('a local write beats the value it replaces, even one stamped far in the future', () => {
    const clock = new HybridClock('a', { now: () => 1000, maxDrift: 10 });
    const future = { wall: 5_000_000, counter: 3, node: 'zzz' };
    const stamp = clock.tickAfter(future);
    expect(compareStamps(stamp, future)).to.equal(1);
    expect(stamp).to.deep.equal({ wall: 5_000_000, counter: 4, node: 'a' });
  });

  it('equal wall and counter: the writer id decides, the same way everywhere', () => {
    expect(compareStamps({ wall: 1, counter: 0, node: 'a' }, { wall: 1, counter: 0, node: 'b' })).to.equal(-1);
    expect(compareStamps({ wall: 1, counter: 0, node: 'b' }, { wall: 1, counter: 0, node: 'a' })).to.equal(1);
  });
});

describe('SharedState: merge', () => {
  it('concurrent writes to one key end the same in every delivery order, digest included', () => {
    const writes = [rec('k', 5, 0, 'a', 'A'), rec('k', 5, 0, 'b', 'B'), rec('k', 4, 9, 'c', 'C'), rec('k', 5, 1, 'a'), rec('k', 3, 0, 'd', 'D')];
    const results = new Set<string>();
    const random = prng(1);
    for (let round = 0; round < 50; round++) {
      const order = [...writes].sort(() => random() - 0.5);
      const store = new StateStore(limits);
      for (const w of order) store.apply(w, { remote: true });
      results.add(`${JSON.stringify(contents(store))} ${store.digest}`);
    }
    expect(results.size).to.equal(1);
    // The delete at (5, 1) is the newest write: the key is gone.
    expect([...results][0]!.startsWith('{}')).to.equal(true);
  });

  it('a delete loses to a newer write and wins over an older one', () => {
    const store = new StateStore(limits);
    store.apply(rec('k', 10, 0, 'a', 1));
    expect(store.apply(rec('k', 9, 0, 'b'), { remote: true })).to.equal('stale');
    expect(contents(store)).to.deep.equal({ k: 1 });
    expect(store.apply(rec('k', 11, 0, 'b'), { remote: true })).to.equal('applied');
    expect(contents(store)).to.deep.equal({});
    expect(store.apply(rec('k', 10, 5, 'c', 2), { remote: true })).to.equal('stale'); // older than the delete
    expect(store.apply(rec('k', 12, 0, 'c', 3), { remote: true })).to.equal('applied');
    expect(contents(store)).to.deep.equal({ k: 3 });
  });

  it('one stamp with two values (a lying writer) resolves by value text everywhere', () => {
    const x = new StateStore(limits);
    const y = new StateStore(limits);
    x.apply(rec('k', 1, 0, 'liar', 'first'));
    x.apply(rec('k', 1, 0, 'liar', 'second'), { remote: true });
    y.apply(rec('k', 1, 0, 'liar', 'second'));
    y.apply(rec('k', 1, 0, 'liar', 'first'), { remote: true });
    expect(contents(x)).to.deep.equal(contents(y));
    expect(x.digest).to.equal(y.digest);
  });

  it('random writes and deletes on 4 replicas, exchanged in random orders with repeats, converge', () => {
    const random = prng(42);
    const replicas = ['a', 'b', 'c', 'd'].map((id) => {
      let now = 0;
      const clock = new HybridClock(id, { now: () => now });
      return { id, clock, store: new StateStore(limits), outbox: [] as StateRecord[], advance: (ms: number) => (now += ms) };
    });
    for (let step = 0; step < 2000; step++) {
      const r = replicas[Math.floor(random() * replicas.length)]!;
      r.advance(Math.floor(random() * 3)); // often the same millisecond
      const key = `k${Math.floor(random() * 20)}`;
      const old = r.store.get(key);
      const stamp = r.clock.tickAfter(old?.stamp);
      const write = random() < 0.2 ? rec(key, stamp.wall, stamp.counter, stamp.node) : rec(key, stamp.wall, stamp.counter, stamp.node, { step, by: r.id });
      r.store.apply(write);
      r.outbox.push(write);
      // Deliver a random part of someone's outbox to someone else, in random order.
      if (random() < 0.3) {
        const from = replicas[Math.floor(random() * replicas.length)]!;
        const to = replicas[Math.floor(random() * replicas.length)]!;
        for (const w of [...from.outbox].sort(() => random() - 0.5).slice(0, 10)) {
          to.clock.observe(w.stamp);
          to.store.apply(w, { remote: true });
        }
      }
    }
    // Full exchange (what a reconnect does), twice over in shuffled order.
    for (let pass = 0; pass < 2; pass++) {
      for (const to of replicas) {
        for (const from of [...replicas].sort(() => random() - 0.5)) for (const w of from.store.records()) to.store.apply(w, { remote: true });
      }
    }
    const first = replicas[0]!.store;
    expect(first.docBytes).to.be.greaterThan(0);
    for (const r of replicas) {
      expect(contents(r.store)).to.deep.equal(contents(first));
      expect(r.store.digest).to.equal(first.digest);
    }
  });

  it('keeps at most maxTombstones, forgetting the oldest first', () => {
    const store = new StateStore({ maxDocBytes: 1 << 20, maxTombstones: 3 });
    for (let i = 0; i < 6; i++) store.apply(rec(`k${i}`, 10 + i, 0, 'a'));
    expect(store.tombstones).to.equal(3);
    expect([...store.records()].map((r) => r.key).sort()).to.deep.equal(['k3', 'k4', 'k5']);
    // A late delete older than all kept is not stored (it would go at once).
    expect(store.apply(rec('old', 1, 0, 'b'), { remote: true })).to.equal('stale');
    expect(store.tombstones).to.equal(3);
  });

  it('remote writes may pass maxDocBytes (concurrent writers) but not twice it', () => {
    const store = new StateStore({ maxDocBytes: 1000, maxTombstones: 10 });
    const big = 'x'.repeat(800);
    expect(store.apply(rec('a', 1, 0, 'a', big), { remote: true })).to.equal('applied');
    expect(store.apply(rec('b', 1, 0, 'b', big), { remote: true })).to.equal('applied');
    expect(store.docBytes).to.be.greaterThan(1000);
    expect(store.apply(rec('c', 1, 0, 'c', big), { remote: true })).to.equal('too-large');
    expect(store.docBytes).to.be.at.most(2000);
  });
});

describe('SharedState: wire frames', () => {
  const wire = { maxKeyBytes: 64, maxValueBytes: 200, maxFrameChars: 10_000 };

  it('round-trips values as their writer\'s JSON text, deletes without a value', () => {
    const records = [rec('a', 1, 2, 'n1', { x: [1, 'two', null] }), rec('b', 3, 0, 'n2'), rec('ünï', 4, 0, 'n3', 'é"\\')];
    const frame = decodeFrame(encodeSync('3.a.b', true, records), wire);
    expect(frame).to.deep.equal({ type: 'sync', digest: '3.a.b', final: true, records });
    expect(decodeFrame(encodePut(records.slice(0, 1)), wire)).to.deep.equal({ type: 'put', records: records.slice(0, 1) });
  });

  it('values come back deeply frozen', () => {
    const value = parseFrozen('{"a":{"b":[1,{"c":2}]}}') as { a: { b: [number, { c: number }] } };
    expect(Object.isFrozen(value.a.b[1])).to.equal(true);
  });

  const bad: Array<[string, unknown, string]> = [
    ['binary', new ArrayBuffer(4), 'ERR_DECODE'],
    ['not JSON', '{"t":', 'ERR_DECODE'],
    ['an array', '[]', 'ERR_DECODE'],
    ['unknown type', '{"t":"x"}', 'ERR_DECODE'],
    ['oversized frame', `{"t":"p","e":[],"pad":"${'x'.repeat(10_000)}"}`, 'ERR_TOO_LARGE'],
    ['entries not an array', '{"t":"p","e":{}}', 'ERR_DECODE'],
    ['short entry', '{"t":"p","e":[["k",1,2]]}', 'ERR_DECODE'],
    ['negative wall', '{"t":"p","e":[["k",-1,0,"n","1"]]}', 'ERR_DECODE'],
    ['fractional counter', '{"t":"p","e":[["k",1,0.5,"n","1"]]}', 'ERR_DECODE'],
    ['counter past 2^48', `{"t":"p","e":[["k",1,${2 ** 48},"n","1"]]}`, 'ERR_DECODE'],
    ['empty writer', '{"t":"p","e":[["k",1,0,"","1"]]}', 'ERR_DECODE'],
    ['value not text', '{"t":"p","e":[["k",1,0,"n",{"a":1}]]}', 'ERR_DECODE'],
    ['value not JSON', '{"t":"p","e":[["k",1,0,"n","{nope"]]}', 'ERR_DECODE'],
    ['value too large', `{"t":"p","e":[["k",1,0,"n","\\"${'x'.repeat(300)}\\""]]}`, 'ERR_TOO_LARGE'],
    ['key too long', `{"t":"p","e":[["${'k'.repeat(65)}",1,0,"n","1"]]}`, 'ERR_TOO_LARGE'],
    ['a number out of range', '{"t":"p","e":[["k",1,0,"n","1e400"]]}', 'ERR_DECODE'],
    ['a nested number out of range', '{"t":"p","e":[["k",1,0,"n","{\\"a\\":[1,-1e999]}"]]}', 'ERR_DECODE'],
    ['nesting too deep', `{"t":"p","e":[["k",1,0,"n","${'['.repeat(70)}${']'.repeat(70)}"]]}`, 'ERR_DECODE'],
    ['a key twice', '{"t":"p","e":[["k",1,0,"n","1"],["k",2,0,"n","2"]]}', 'ERR_DECODE'],
    ['sync without final flag', '{"t":"s","d":"x","e":[]}', 'ERR_DECODE'],
    ['digest not text', '{"t":"h","d":5,"a":0}', 'ERR_DECODE'],
  ];
  for (const [what, data, code] of bad) {
    it(`refuses ${what} with ${code}`, () => {
      let caught: unknown;
      try {
        decodeFrame(data, wire);
      } catch (error) {
        caught = error;
      }
      expect((caught as { name?: string })?.name).to.equal('PeerixError');
      expect((caught as { code?: string }).code).to.equal(code);
    });
  }
});
