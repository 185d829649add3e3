// SharedState between real peers in one page (MemoryDriver signaling, real
// RTCPeerConnections and data channels), and 10,000 hostile frames on its channel.
import { expect } from '@open-wc/testing';
import { MemoryDriver, Peer, PeerixError, type RemotePeer } from '../../src/index.js';
import { SharedState, type SharedStateOptions } from '../../src/addons/state/index.js';
import { encodeHello, encodePut, encodeSync } from '../../src/addons/state/wire.js';
import { until } from '../engine/helpers.js';
import { prng } from '../prng.js';

const room = () => `state-${Math.random()}`;
const label = 'peerix-state';

interface Member {
  peer: Peer;
  state: SharedState;
  changes: Array<{ key: string; value: unknown; remote?: string }>;
  errors: PeerixError[];
  syncs: string[];
}

function member(driver: MemoryDriver, options: SharedStateOptions = {}): Member {
  const peer = new Peer({ driver });
  const state = new SharedState(options);
  const m: Member = { peer, state, changes: [], errors: [], syncs: [] };
  state.on('change', ({ key, value, remote }) => m.changes.push({ key, value, ...(remote ? { remote: remote.id } : {}) }));
  state.on('error', ({ error }) => m.errors.push(error));
  state.on('sync', ({ remote }) => m.syncs.push(remote.id));
  peer.attach(state);
  return m;
}

const open = (a: Peer, b: Peer): boolean => a.connections.get(b.id)?.channels.get(label)?.readyState === 'open';

async function connected(members: Member[]): Promise<void> {
  await until(() => members.every((x) => members.every((y) => x === y || open(x.peer, y.peer))), 'state channels open', 30000);
}


describe('SharedState between peers', () => {
  let members: Member[] = [];
  afterEach(async () => {
    await Promise.all(members.map((m) => m.peer.leave()));
    members = [];
  });

  it('set and delete reach the other peer; change events name the remote only for remote changes', async () => {
    const driver = new MemoryDriver();
    const r = room();
    const [a, b] = (members = [member(driver), member(driver)]);
    await Promise.all([a!.peer.join({ room: r }), b!.peer.join({ room: r })]);
    await connected(members);
    a!.state.set('todo:1', { text: 'milk', done: false });
    await until(() => b!.state.has('todo:1'), 'the value at b');
    expect(b!.state.get('todo:1')).to.deep.equal({ text: 'milk', done: false });
    expect(a!.changes).to.deep.equal([{ key: 'todo:1', value: { text: 'milk', done: false } }]);
    expect(b!.changes).to.deep.equal([{ key: 'todo:1', value: { text: 'milk', done: false }, remote: a!.peer.id }]);
    expect(a!.state.id).to.equal(a!.peer.id);
    b!.state.delete('todo:1');
    await until(() => !a!.state.has('todo:1'), 'the delete at a');
    expect(a!.state.keys()).to.deep.equal([]);
    expect(a!.changes.at(-1)).to.deep.equal({ key: 'todo:1', value: undefined, remote: b!.peer.id });
    expect([...a!.errors, ...b!.errors]).to.deep.equal([]);
  });

  it('a late joiner receives the whole state, deletes included', async () => {
    const driver = new MemoryDriver();
    const r = room();
    const [a, b] = (members = [member(driver), member(driver)]);
    a!.state.set('before-join', 1); // written before the peer even joined
    await Promise.all([a!.peer.join({ room: r }), b!.peer.join({ room: r })]);
    await connected(members);
    for (let i = 0; i < 50; i++) (i % 2 ? a : b)!.state.set(`k${i}`, { i, text: 'x'.repeat(i) });
    a!.state.delete('k3');
    b!.state.set('k4', 'overwritten');
    await until(() => a!.state.size === 50 && b!.state.size === 50 && b!.state.get('k4') === 'overwritten' && a!.state.get('k4') === 'overwritten', 'a and b agree');
    const late = member(driver);
    members.push(late);
    await late.peer.join({ room: r });
    await connected(members);
    await until(() => late.syncs.length === 2, 'sync with both');
    expect(late.state.toJSON()).to.deep.equal(a!.state.toJSON());
    expect(late.state.has('k3')).to.equal(false);
    expect(late.state.get('before-join')).to.equal(1);
  });

  it('a state attached after the other side had opened its channel still syncs both ways', async () => {
    const driver = new MemoryDriver();
    const r = room();
    const [a] = (members = [member(driver)]);
    const peerB = new Peer({ driver });
    await Promise.all([a!.peer.join({ room: r }), peerB.join({ room: r })]);
    // a's state opened the channel; b has it open without a state on it yet.
    await until(() => open(peerB, a!.peer) && open(a!.peer, peerB), 'the channel open at b');
    a!.state.set('from-a', 1);
    const stateB = new SharedState();
    stateB.set('from-b', 2);
    members.push({ peer: peerB, state: stateB, changes: [], errors: [], syncs: [] });
    peerB.attach(stateB);
    await until(() => stateB.get('from-a') === 1 && a!.state.get('from-b') === 2, 'both ways');
  });

  it('a peer that was away catches up, and what it wrote meanwhile reaches the others', async function () {
    this.timeout(90_000); // three peers connect, then one channel closes and opens again: slow on a loaded machine
    const driver = new MemoryDriver();
    const r = room();
    const [a, b, c] = (members = [member(driver), member(driver), member(driver)]);
    await Promise.all(members.map((m) => m.peer.join({ room: r })));
    await connected(members);
    a!.state.set('shared', 'start');
    await until(() => c!.state.get('shared') === 'start', 'start at c');
    // c goes away (its channel closes), and everyone keeps writing.
    c!.peer.detach(c!.state);
    await until(() => !open(a!.peer, c!.peer) && !open(c!.peer, a!.peer), 'c\'s channel closed');
    a!.state.set('from-a', 1);
    b!.state.delete('shared');
    c!.state.set('from-c', 3);
    c!.state.set('shared', 'c wrote this last'); // newer than b's delete
    c!.peer.attach(c!.state);
    await connected(members);
    const same = () => JSON.stringify(a!.state.toJSON()) === JSON.stringify(c!.state.toJSON()) && JSON.stringify(b!.state.toJSON()) === JSON.stringify(c!.state.toJSON());
    await until(same, 'all three agree').catch((error: Error) => {
      throw new Error(`${error.message}: ${members.map((m) => JSON.stringify(m.state.toJSON())).join(' | ')}`);
    });
    expect(c!.state.toJSON()).to.deep.equal({ 'from-a': 1, 'from-c': 3, shared: 'c wrote this last' });
  });

  it('limits and non-JSON values fail at set() with a clear error, leaving the state as it was', () => {
    const state = new SharedState({ maxValueBytes: 100, maxDocBytes: 300, maxKeyBytes: 10 });
    const code = (fn: () => void): string => {
      try {
        fn();
      } catch (error) {
        expect(error).to.be.instanceOf(PeerixError);
        return (error as PeerixError).code;
      }
      return 'no error';
    };
    expect(code(() => state.set('a', 'x'.repeat(101)))).to.equal('ERR_TOO_LARGE');
    state.set('a', 'x'.repeat(90));
    state.set('b', 'x'.repeat(90));
    expect(code(() => state.set('c', 'x'.repeat(90)))).to.equal('ERR_TOO_LARGE'); // the document would pass 300
    state.set('b', 'short'); // replacing a value frees its bytes
    state.set('c', 'x'.repeat(90));
    expect(code(() => state.set('k'.repeat(11), 1))).to.equal('ERR_TOO_LARGE');
    expect(code(() => state.set('u', undefined as never))).to.equal('ERR_INVALID_ARGUMENT');
    expect(code(() => state.set('f', (() => 1) as never))).to.equal('ERR_INVALID_ARGUMENT');
    expect(code(() => state.set('n', 10n as never))).to.equal('ERR_INVALID_ARGUMENT');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(code(() => state.set('c', cyclic as never))).to.equal('ERR_INVALID_ARGUMENT');
    expect(code(() => state.set(5 as never, 1))).to.equal('ERR_INVALID_ARGUMENT');
    expect(state.toJSON()).to.deep.equal({ a: 'x'.repeat(90), b: 'short', c: 'x'.repeat(90) });
    expect(Object.isFrozen(state.get('a'))).to.equal(true);
    state.delete('a');
    state.set('d', { when: new Date(0) });
    expect(state.get('d')).to.deep.equal({ when: '1970-01-01T00:00:00.000Z' }); // stored as it travels: JSON
  });

  it('10,000 hostile frames: error events only, no exception, limits held, and honest peers still converge', async function () {
    this.timeout(180_000);
    const driver = new MemoryDriver();
    const r = room();
    const options = { maxDocBytes: 8192, maxValueBytes: 1024, maxTombstones: 50 };
    const [a, c] = (members = [member(driver, options), member(driver, options)]);
    const evil = new Peer({ driver });
    evil.open({ label });
    let received = 0;
    for (const m of members) m.peer.on('channel:message', ({ label: l }) => { if (l === label) received++; });
    const uncaught: string[] = [];
    const onError = (event: ErrorEvent) => uncaught.push(event.message);
    const onRejection = (event: PromiseRejectionEvent) => uncaught.push(String(event.reason));
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
    try {
      await Promise.all([a!.peer.join({ room: r }), c!.peer.join({ room: r }), evil.join({ room: r })]);
      await connected(members);
      await until(() => open(evil, a!.peer) && open(evil, c!.peer), 'evil channels open');
      a!.state.set('honest', { by: 'a' });
      c!.state.set('also-honest', [1, 2, 3]);
      await until(() => a!.state.has('also-honest') && c!.state.has('honest'), 'honest writes');
      const baseline = received;

      const random = prng(7);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
      const word = () => pick(['k', 'honest', 'also-honest', '__proto__', 'constructor', '', 'ü', 'x'.repeat(2000)]);
      const stamp = () => [pick([0, 1, Date.now(), Date.now() + 1e9, 2 ** 48 - 1, 2 ** 48, -1, 1.5, 1e308]), pick([0, 1, 2 ** 31, 2 ** 53, -3]), pick(['n', '', a!.peer.id, 'z'.repeat(200), 5])];
      const value = () => pick(['1', '"s"', '{"a":[1,2]}', 'null', '{nope', `"${'v'.repeat(1100)}"`, `${'['.repeat(80)}${']'.repeat(80)}`, '1e400', undefined]);
      const entry = () => {
        const e: unknown[] = [word(), ...stamp()];
        const v = value();
        if (v !== undefined) e.push(v);
        return random() < 0.1 ? e.slice(0, Math.floor(random() * 6)) : e;
      };
      const valid = () => {
        const records = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, i) => ({
          key: `fuzz${Math.floor(random() * 40)}-${i}`,
          stamp: { wall: Math.floor(random() * 2e12), counter: Math.floor(random() * 5), node: `evil${Math.floor(random() * 3)}` },
          json: random() < 0.3 ? undefined : JSON.stringify({ r: random() }),
          value: undefined,
        }));
        return pick([encodePut(records), encodeSync('1.a.b', random() < 0.5, records), encodeHello(`x${random()}`, random() < 0.5)]);
      };
      const mutate = (text: string) => {
        const chars = [...text];
        for (let n = 1 + Math.floor(random() * 4); n > 0; n--) {
          const at = Math.floor(random() * chars.length);
          const op = random();
          if (op < 0.4) chars[at] = String.fromCharCode(Math.floor(random() * 128));
          else if (op < 0.7) chars.splice(at, 1);
          else chars.splice(at, 0, pick(['"', ',', '[', ']', '{', '}', '9', '-', '\\', 'e']));
        }
        return chars.join('');
      };
      const frames = (n: number): Array<string | Uint8Array> => Array.from({ length: n }, () => {
        const kind = random();
        if (kind < 0.3) return mutate(valid());
        if (kind < 0.5) return JSON.stringify({ t: pick(['p', 's', 'h', 'x', 1, null]), d: pick(['1.a.b', 7, undefined]), f: pick([0, 1, 2, true]), a: pick([0, 1, 'y']), e: pick([[entry(), entry()], {}, 'e', [entry()]]) });
        if (kind < 0.6) return valid().slice(0, Math.floor(random() * 40));
        if (kind < 0.7) return crypto.getRandomValues(new Uint8Array(1 + Math.floor(random() * 64)));
        if (kind < 0.705) return `{"t":"p","e":[],"pad":"${'p'.repeat(120_000)}"}`;
        if (kind < 0.8) return `{"t":"p","e":[${'['.repeat(5000)}${']'.repeat(5000)}]}`;
        return valid();
      });
      // Different frames to each honest peer: a liar tells each something else.
      const toA = frames(5000);
      const toC = frames(5000);
      const remoteA = evil.connections.get(a!.peer.id) as RemotePeer;
      const remoteC = evil.connections.get(c!.peer.id) as RemotePeer;
      for (let i = 0; i < 5000; i++) {
        void remoteA.send(toA[i]!, { label });
        void remoteC.send(toC[i]!, { label });
        // Paced, so the flood does not starve the connection's own heartbeat.
        if (i % 250 === 249) await until(() => received - baseline >= 2 * (i + 1), `frames up to ${i + 1} delivered`, 60000);
      }
      await until(() => received - baseline >= 10_000, 'all 10,000 frames delivered', 60000);
      // Every refusal was reported as a PeerixError with a code.
      const errors = [...a!.errors, ...c!.errors];
      expect(errors.length).to.be.greaterThan(5000);
      expect(errors.every((e) => e instanceof PeerixError && ['ERR_DECODE', 'ERR_TOO_LARGE'].includes(e.code))).to.equal(true);
      for (const m of members) {
        expect(m.state.bytes).to.be.at.most(options.maxDocBytes * 2);
        expect(JSON.stringify(m.state.toJSON()).length).to.be.lessThan(options.maxDocBytes * 3);
        // The liar may overwrite any key (last writer wins), but whatever it held is a well-formed value.
        for (const key of m.state.keys()) expect(JSON.parse(JSON.stringify(m.state.get(key))), key).to.deep.equal(m.state.get(key));
      }
      // The honest pair compares states and ends identical, whatever each was told.
      await new Promise((done) => setTimeout(done, 1100)); // past the whole-state rate limit
      a!.state.resync();
      await until(() => JSON.stringify(Object.entries(a!.state.toJSON()).sort()) === JSON.stringify(Object.entries(c!.state.toJSON()).sort()), 'a and c identical', 20000);
      // And they still work: a fresh write goes through (a delete: the liar may have filled the document).
      const victim = a!.state.keys()[0]!;
      expect(a!.state.delete(victim)).to.equal(true);
      await until(() => !c!.state.has(victim), 'a write after the fuzz');
      expect(uncaught).to.deep.equal([]);
    } finally {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
      await evil.leave();
    }
  });
});
