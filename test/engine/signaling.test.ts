import { expect } from '@open-wc/testing';
import { Driver, MemoryDriver, Peer, PeerixError, type DriverMessage } from '../../src/index.js';
import { CountingDriver, formMesh, leaveAll, makePeers, until } from './helpers.js';
import { headerOf } from '../security/raw.js';

const room = () => `signaling-${Math.random()}`;

describe('signaling through the broker', () => {
  it('once the mesh is formed, opening a channel and sharing a stream publish nothing', async function () {
    this.timeout(30000);
    const driver = new CountingDriver();
    const peers = makePeers(3, driver);
    await formMesh(peers, room());
    // candidates may still trickle for a moment after connecting
    await new Promise((r) => setTimeout(r, 300));
    const before = driver.published;
    const opened: string[] = [];
    peers[2]!.on('channel:open', ({ label }) => opened.push(label));
    let streams = 0;
    peers[1]!.on('stream:add', () => streams++);
    peers[0]!.open({ label: 'later' });
    const stream = await navigator.mediaDevices.getUserMedia({ video: true });
    peers[0]!.share({ label: 'cam', stream });
    await until(() => opened.includes('later') && streams === 1, 'channel and stream over the in-band channel');
    expect(driver.published - before).to.equal(0);
    stream.getTracks().forEach((t) => t.stop());
    await leaveAll(peers);
  });

  it('two peers joining in turn over a slow broker need 4 messages: candidates inside the descriptions are not sent again', async () => {
    // Broker latency keeps channel 0 closed past the candidate debounce, as on a real network.
    class SlowDriver extends CountingDriver {
      override publish(namespace: string[], message: DriverMessage): void {
        this.published++;
        this.bytes += message.length;
        this.seen.push(message);
        setTimeout(() => MemoryDriver.prototype.publish.call(this, namespace, message), 80);
      }
    }
    const driver = new SlowDriver();
    const [a, b] = makePeers(2, driver);
    const r = room();
    await a!.join({ room: r });
    await new Promise((res) => setTimeout(res, 200));
    await b!.join({ room: r });
    await until(() => a!.connections.get(b!.id)?.state === 'connected' && b!.connections.get(a!.id)?.state === 'connected', 'connected');
    await new Promise((res) => setTimeout(res, 300));
    expect(driver.published).to.equal(4);
    await leaveAll([a!, b!]);
  });

  it('six peers joining at once: the broker order of their announces lets one side of each pair offer', async function () {
    this.timeout(60000);
    const BROKER_OFFER = 2;
    // 30 ms of broker latency: every announce is in flight while the others subscribe and announce.
    class Broker extends CountingDriver {
      override readonly echoesInOrder: boolean;
      constructor(ordered: boolean) {
        super();
        this.echoesInOrder = ordered;
      }
      override publish(namespace: string[], message: DriverMessage): void {
        this.seen.push(message);
        setTimeout(() => MemoryDriver.prototype.publish.call(this, namespace, message), 30);
      }
    }
    const offers = async (ordered: boolean): Promise<number> => {
      const driver = new Broker(ordered);
      const peers = makePeers(6, driver);
      await formMesh(peers, room());
      const count = driver.seen.filter((m) => headerOf(m).kind === BROKER_OFFER).length;
      await leaveAll(peers);
      return count;
    };
    expect(await offers(true), 'broker offers with ordered echoes').to.equal(15);
    // Without them, announces this close are ordered by nobody: both sides of a pair offer, and the mesh still forms.
    expect(await offers(false), 'broker offers by the time rule').to.be.above(15);
  });

  it('no raw room name appears in any byte the driver carried', async () => {
    const driver = new CountingDriver();
    const name = 'Quarterly Plans Ω';
    const peers = makePeers(2, driver);
    await Promise.all(peers.map((p) => p.join({ room: name, metadata: { n: 1 } })));
    await until(() => peers.every((p) => [...p.connections.values()].some((r) => r.state === 'connected')), 'connected');
    const needle = [...new TextEncoder().encode(name)];
    const contains = (hay: number[]) => hay.some((_, i) => needle.every((b, j) => hay[i + j] === b));
    expect(driver.seen.length).to.be.greaterThan(0);
    expect(driver.seen.some(contains)).to.equal(false);
    await leaveAll(peers);
  });

  it('a peer with a different room secret never connects, and the app gets a clear error', async () => {
    const driver = new MemoryDriver();
    const a = new Peer({ driver, secret: 'right' });
    const b = new Peer({ driver, secret: 'wrong' });
    const errors: PeerixError[] = [];
    a.on('error', ({ error }) => errors.push(error));
    b.on('error', ({ error }) => errors.push(error));
    const r = room();
    await a.join({ room: r });
    await b.join({ room: r });
    await until(() => errors.length > 0, 'an error');
    await new Promise((res) => setTimeout(res, 500));
    expect(a.connections.size).to.equal(0);
    expect(b.connections.size).to.equal(0);
    expect(errors[0]!.code).to.equal('ERR_AUTH');
    expect(errors[0]!.message).to.match(/secret/);
    await leaveAll([a, b]);
  });

  it('verify() can refuse a peer', async () => {
    const driver = new MemoryDriver();
    const a = new Peer({ driver, verify: ({ metadata }) => metadata.name !== 'mallory' });
    const b = new Peer({ driver });
    const errors: string[] = [];
    a.on('error', ({ error }) => errors.push(error.code));
    const r = room();
    await a.join({ room: r });
    await b.join({ room: r, metadata: { name: 'mallory' } });
    await until(() => errors.includes('ERR_VERIFY'), 'refusal');
    expect(a.connections.size).to.equal(0);
    await leaveAll([a, b]);
  });

  it('10,000 fuzzed packets on the room and peer namespaces: errors only, and the call keeps working', async function () {
    this.timeout(120000);
    const driver = new MemoryDriver();
    const [a, b] = makePeers(2, driver) as [Peer, Peer];
    const r = room();
    a.open({ label: 'chat' });
    const got: string[] = [];
    b.on('channel:message', ({ data }) => got.push(String(data)));
    let errors = 0;
    a.on('error', () => errors++);
    b.on('error', () => errors++);
    const captured: { ns: string[]; msg: DriverMessage }[] = [];
    const originalPublish = driver.publish.bind(driver);
    driver.publish = (ns, msg) => {
      captured.push({ ns, msg: Array.from(msg) });
      originalPublish(ns, msg);
    };
    await formMesh([a, b], r);
    const uncaught: unknown[] = [];
    const onRejection = (e: PromiseRejectionEvent) => uncaught.push(e.reason);
    const onError = (e: ErrorEvent) => uncaught.push(e.error);
    window.addEventListener('unhandledrejection', onRejection);
    window.addEventListener('error', onError);
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const namespaces = [...new Set(captured.map((c) => JSON.stringify(c.ns)))].map((s) => JSON.parse(s) as string[]);
    expect(namespaces.length).to.be.at.least(2);
    for (let i = 0; i < 10000; i++) {
      const ns = namespaces[i % namespaces.length]!;
      const base = captured[i % captured.length]!.msg;
      let msg: DriverMessage;
      const mode = i % 4;
      if (mode === 0) msg = Array.from({ length: Math.floor(rand() * 300) }, () => Math.floor(rand() * 256));
      else if (mode === 1) msg = base.slice(0, Math.floor(rand() * base.length));
      else if (mode === 2) {
        msg = base.slice();
        const at = Math.floor(rand() * msg.length);
        msg[at] = msg[at]! ^ (1 << Math.floor(rand() * 8));
      } else msg = base.slice(); // a replay
      originalPublish(ns, msg);
      if (i % 500 === 0) await new Promise((res) => setTimeout(res, 0));
    }
    await until(() => errors >= 9000, 'errors for the fuzzed packets', 60000);
    await a.send('still here', { label: 'chat' });
    await until(() => got.includes('still here'), 'a message after the fuzz');
    window.removeEventListener('unhandledrejection', onRejection);
    window.removeEventListener('error', onError);
    expect(uncaught).to.deep.equal([]);
    expect([...a.connections.values()][0]!.state).to.equal('connected');
    await leaveAll([a, b]);
  });

  it('a custom driver written as in the docs (dispatch, handler keys, setTimeout, no active) works, with a deprecation warning', async () => {
    // Copied in spirit from the docs' minimal in-memory example, with `dispatch`.
    class DocsDriver extends Driver {
      handlers: Map<string, Set<(m: DriverMessage) => void>>;
      constructor() {
        super();
        this.handlers = new Map();
      }
      subscribe(namespace: string[], handler: (m: DriverMessage) => void) {
        const k = namespace.join(':');
        if (!this.handlers.has(k)) this.handlers.set(k, new Set());
        this.handlers.get(k)!.add(handler);
      }
      unsubscribe(namespace: string[], handler: (m: DriverMessage) => void) {
        const k = namespace.join(':');
        this.handlers.get(k)?.delete(handler);
      }
      dispatch(namespace: string[], message: DriverMessage) {
        const k = namespace.join(':');
        if (!this.handlers.has(k)) return;
        for (const handler of this.handlers.get(k)!) setTimeout(() => handler(message), 0);
      }
    }
    const warnings: string[] = [];
    const originalWarn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      const driver = new DocsDriver();
      const peers = makePeers(2, driver);
      peers[0]!.open({ label: 'chat' });
      await formMesh(peers, room());
      expect(warnings.some((w) => w.includes('dispatch'))).to.equal(true);
      await leaveAll(peers);
    } finally {
      console.warn = originalWarn;
    }
  });
});
