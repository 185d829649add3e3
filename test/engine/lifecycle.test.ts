import { expect } from '@open-wc/testing';
import { Addon, MemoryDriver, Peer, type PeerEvents } from '../../src/index.js';
import { formMesh, leaveAll, makePeers, until } from './helpers.js';

const room = () => `lifecycle-${Math.random()}`;

/** Tracks every RTCPeerConnection the page creates. */
function trackConnections(): { open: () => number; restore: () => void } {
  const Original = window.RTCPeerConnection;
  const made: RTCPeerConnection[] = [];
  window.RTCPeerConnection = class extends Original {
    constructor(config?: RTCConfiguration) {
      super(config);
      made.push(this);
    }
  } as typeof RTCPeerConnection;
  return {
    open: () => made.filter((pc) => pc.signalingState !== 'closed').length,
    restore: () => (window.RTCPeerConnection = Original),
  };
}

describe('lifecycle', () => {
  it('connection events arrive in order: new, connecting, connected, closed', async () => {
    const [a, b] = makePeers(2, new MemoryDriver()) as [Peer, Peer];
    const seen: string[] = [];
    a.on('connection', ({ type }) => seen.push(type));
    await formMesh([a, b], room());
    await b.leave();
    await until(() => seen.includes('connection:closed'), 'closed');
    expect(seen).to.deep.equal(['connection:new', 'connection:connecting', 'connection:connected', 'connection:closed']);
    await a.leave();
  });

  it('leave(): the others see connection:closed within 1 s (goodbye, not the heartbeat)', async () => {
    const peers = makePeers(3, new MemoryDriver());
    await formMesh(peers, room());
    const leaver = peers[2]!;
    const closedAt: number[] = [];
    for (const p of peers.slice(0, 2)) p.on('connection:closed', ({ remote }) => remote.id === leaver.id && closedAt.push(performance.now()));
    const start = performance.now();
    await leaver.leave();
    await until(() => closedAt.length === 2, 'both saw the leave', 1000);
    expect(peers[0]!.connections.has(leaver.id)).to.equal(false);
    await leaveAll(peers.slice(0, 2));
    expect(Math.max(...closedAt) - start).to.be.lessThan(1000);
  });

  it('a peer that connects and leaves at once is not called back by a held announce', async () => {
    for (let i = 0; i < 5; i++) {
      const peers = makePeers(2, new MemoryDriver());
      await Promise.all(peers.map((p) => p.ready));
      // The peer with the greater id is polite and holds its offer after a fresh announce.
      const [leaver, holder] = [...peers].sort((x, y) => (x.id < y.id ? -1 : 1)) as [Peer, Peer];
      await formMesh([holder, leaver], room());
      await leaver.leave();
      const late: string[] = [];
      holder.on('connection:new', ({ remote }) => late.push(remote.id));
      await new Promise((r) => setTimeout(r, 150));
      expect(late).to.deep.equal([]);
      expect(holder.connections.size).to.equal(0);
      await holder.leave();
    }
  });

  it('50 join/leave cycles leave no open RTCPeerConnection and no listener growth', async function () {
    this.timeout(120000);
    const tracker = trackConnections();
    try {
      const driver = new MemoryDriver();
      const stay = new Peer({ driver });
      const r = room();
      stay.open({ label: 'chat' });
      await stay.join({ room: r });
      const cycler = new Peer({ driver });
      cycler.open({ label: 'chat' });
      let listenersAfterFirst = -1;
      for (let i = 0; i < 50; i++) {
        await cycler.join({ room: r, metadata: { i } });
        await until(() => cycler.connections.get(stay.id)?.state === 'connected' && stay.connections.get(cycler.id)?.state === 'connected', `cycle ${i} connected`);
        await cycler.leave();
        await until(() => !stay.connections.has(cycler.id), `cycle ${i} closed`);
        if (i === 0) listenersAfterFirst = stay.listenerCount() + cycler.listenerCount() + driver.listenerCount();
      }
      expect(stay.listenerCount() + cycler.listenerCount() + driver.listenerCount()).to.equal(listenersAfterFirst);
      await stay.leave();
      await until(() => tracker.open() === 0, 'every connection closed', 3000);
      expect(driver.subscriptionCount).to.equal(0);
    } finally {
      tracker.restore();
    }
  });

  it('the same Peer can leave and join again, and reconnect', async () => {
    const [a, b] = makePeers(2, new MemoryDriver()) as [Peer, Peer];
    const r = room();
    await formMesh([a, b], r);
    await a.leave();
    await until(() => b.connections.size === 0, 'b alone');
    await a.join({ room: r });
    await until(() => a.connections.get(b.id)?.state === 'connected', 'reconnected');
    await leaveAll([a, b]);
  });

  it('connectionTimeout gives up a connection that never connects', async () => {
    const driver = new MemoryDriver();
    const a = new Peer({ driver, connectionTimeout: 800 });
    const b = new Peer({ driver });
    await b.ready;
    // Everything addressed to b is lost, so a's offer never arrives.
    const publish = driver.publish.bind(driver);
    driver.publish = (ns, msg) => (ns[1] === b.id ? undefined : publish(ns, msg));
    const errors: string[] = [];
    a.on('error', ({ error }) => errors.push(error.code));
    const r = room();
    await a.join({ room: r });
    await b.join({ room: r });
    await until(() => a.connections.size === 1, 'a starts a connection');
    await until(() => errors.includes('ERR_TIMEOUT'), 'the timeout', 3000);
    expect(a.connections.size).to.equal(0);
    await leaveAll([a, b]);
  });

  it('an add-on sees the same events as the app, and nothing after detach', async () => {
    class Recorder extends Addon {
      seen: string[] = [];
      override attach(peer: Peer): void {
        super.attach(peer);
        this.listen(peer, 'connection', ({ type }: PeerEvents['connection:new'] & { type: string }) => this.seen.push(type));
      }
    }
    const [a, b] = makePeers(2, new MemoryDriver()) as [Peer, Peer];
    const recorder = new Recorder();
    const app: string[] = [];
    a.on('connection', ({ type }) => app.push(type));
    a.attach(recorder);
    await formMesh([a, b], room());
    expect(recorder.seen).to.deep.equal(app);
    a.detach(recorder);
    const before = a.listenerCount();
    await b.leave();
    await until(() => app.includes('connection:closed'), 'closed');
    expect(recorder.seen).to.not.include('connection:closed');
    expect(a.listenerCount()).to.equal(before);
    await a.leave();
  });
});
