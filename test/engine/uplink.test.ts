// Mesh-aware media with real connections and fake cameras: RemotePeer.stats(),
// the uplink budget divided over video senders as peers join and leave, and
// receiver requests that pause or resume one connection's video.
import { expect } from '@open-wc/testing';
import { MemoryDriver, Peer, type PeerixError, type RemotePeer } from '../../src/index.js';
import { formMesh, leaveAll, makePeers } from './helpers.js';

const room = () => `uplink-${Math.random()}`;
const remoteOf = (p: Peer, other: Peer): RemotePeer => p.connections.get(other.id)!;
const camera = () => navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check()` (which may be async) is truthy, failing with `what` after `timeout` ms. */
async function until(check: () => unknown, what: string, timeout = 15000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** The encoding of the video sender `from` has towards `to`. */
function encoding(from: Peer, to: Peer): RTCRtpEncodingParameters | undefined {
  const sender = remoteOf(from, to)
    .connection.getSenders()
    .find((s) => s.track?.kind === 'video');
  return sender?.getParameters().encodings?.[0];
}

/** True when, over `ms`, `read` grew by less than `bytes` (stopped) or by more (flowing). */
async function growth(read: () => Promise<number>, ms = 1000): Promise<number> {
  const before = await read();
  await sleep(ms);
  return (await read()) - before;
}

describe('uplink: stats, budget and receiver requests', () => {
  it('stats() reports bitrates, RTT, loss and the video being sent', async function () {
    this.timeout(60000);
    const [a, b] = makePeers(2, new MemoryDriver()) as [Peer, Peer];
    await formMesh([a, b], room());
    const stream = await camera();
    a.share({ label: 'camera', stream });
    await until(() => remoteOf(b, a).streams.length === 1, 'the camera at b');
    const sending = remoteOf(a, b);
    const receiving = remoteOf(b, a);
    const first = await sending.stats();
    expect(first.sendBitrate).to.equal(0); // no previous sample yet
    let sent = first;
    let received = await receiving.stats();
    await until(
      async () => {
        sent = await sending.stats();
        received = await receiving.stats();
        return sent.sendBitrate > 0 && sent.video[0]?.frameHeight && received.receiveBitrate > 0 && received.videoBytesReceived > 0;
      },
      'traffic in the stats',
      30000,
    );
    expect(sent.bytesSent).to.be.greaterThan(0);
    expect(sent.video).to.have.length(1);
    expect(sent.video[0]!.label).to.equal('camera');
    expect(sent.video[0]!.frameHeight).to.be.within(1, 240);
    expect(received.audioBytesReceived).to.be.greaterThan(0);
    expect(received.packetLoss).to.be.within(0, 1);
    await until(async () => (await receiving.stats()).roundTripTime !== null, 'an RTT', 20000);
    expect((await receiving.stats()).roundTripTime).to.be.at.least(0);
    stream.getTracks().forEach((t) => t.stop());
    await leaveAll([a, b]);
  });

  it('divides the budget among connections as peers join, and gives it back as they leave', async function () {
    this.timeout(90000);
    const driver = new MemoryDriver();
    const a = new Peer({ driver, uplinkBudget: 600_000 });
    const others = makePeers(3, driver);
    const [b, c, d] = others as [Peer, Peer, Peer];
    expect(a.uplinkBudget).to.equal(600_000);
    expect(b.uplinkBudget).to.equal(3_000_000);
    const name = room();
    await formMesh([a, b], name);
    const stream = await camera();
    a.share({ label: 'camera', stream });
    await until(() => encoding(a, b)?.maxBitrate === 600_000, 'the whole budget to one peer');
    expect(encoding(a, b)!.scaleResolutionDownBy ?? 1).to.equal(1);

    await Promise.all([c, d].map((p) => p.join({ room: name })));
    await until(() => [a, b, c, d].every((p) => [...p.connections.values()].filter((r) => r.state === 'connected').length === 3), 'a mesh of 4', 30000);
    await until(() => [b, c, d].every((p) => encoding(a, p)?.maxBitrate === 200_000), 'a third each to three peers');
    for (const p of [b, c, d]) expect(encoding(a, p)!.scaleResolutionDownBy).to.equal(2); // < 300 kbit/s each

    await d.leave();
    await until(() => [b, c].every((p) => encoding(a, p)?.maxBitrate === 300_000), 'a half each to two peers');
    for (const p of [b, c]) expect(encoding(a, p)!.scaleResolutionDownBy ?? 1).to.equal(1);
    await c.leave();
    await until(() => encoding(a, b)?.maxBitrate === 600_000, 'the whole budget again');
    stream.getTracks().forEach((t) => t.stop());
    await leaveAll([a, b]);
  });

  it('uplinkBudget 0 sets no limit, it can change while joined; a bad value is refused', async function () {
    this.timeout(30000);
    expect(() => new Peer({ uplinkBudget: -1 })).to.throw(/uplinkBudget/);
    const driver = new MemoryDriver();
    const [a, b] = [new Peer({ driver, uplinkBudget: 0 }), new Peer({ driver })];
    await formMesh([a, b], room());
    const stream = await camera();
    a.share({ label: 'camera', stream });
    const pc = remoteOf(a, b).connection;
    await until(() => pc.getSenders().some((s) => s.track?.kind === 'video'), 'a video sender');
    await sleep(300);
    expect(encoding(a, b)!.maxBitrate).to.equal(undefined);
    a.uplinkBudget = 500_000; // settable at any time: re-divided at once
    await until(() => encoding(a, b)?.maxBitrate === 500_000, 'the new budget applied');
    expect(() => (a.uplinkBudget = Number.NaN)).to.throw(/uplinkBudget/);
    a.uplinkBudget = 0;
    await until(() => encoding(a, b)?.maxBitrate === undefined, 'the limit lifted');
    stream.getTracks().forEach((t) => t.stop());
    await leaveAll([a, b]);
  });

  it('a receiver pauses and resumes video on its own connection only; audio keeps flowing', async function () {
    this.timeout(120000);
    const [a, b, c] = makePeers(3, new MemoryDriver()) as [Peer, Peer, Peer];
    await formMesh([a, b, c], room());
    const stream = await camera();
    a.share({ label: 'camera', stream });
    await until(() => remoteOf(b, a).streams.length === 1 && remoteOf(c, a).streams.length === 1, 'the camera at b and c');
    const atB = remoteOf(b, a);
    const atC = remoteOf(c, a);
    const videoAt = (r: RemotePeer) => async () => (await r.stats()).videoBytesReceived;
    const audioAt = (r: RemotePeer) => async () => (await r.stats()).audioBytesReceived;
    await until(async () => (await growth(videoAt(atB))) > 0, 'video flowing to b', 30000);

    atB.request('camera', { video: false });
    await until(() => encoding(a, b)?.active === false, 'the sender towards b inactive');
    expect(encoding(a, c)!.active).to.not.equal(false);
    await until(async () => (await growth(videoAt(atB))) === 0, 'video to b stopped', 20000);
    expect(await growth(audioAt(atB))).to.be.greaterThan(0);
    expect(await growth(videoAt(atC))).to.be.greaterThan(0);

    atB.request('camera', { maxHeight: 120 });
    await until(() => encoding(a, b)?.active !== false && encoding(a, b)?.scaleResolutionDownBy === 2, 'half size towards b');
    atB.request('camera', {});
    await until(() => encoding(a, b)?.active !== false && (encoding(a, b)?.scaleResolutionDownBy ?? 1) === 1, 'full size towards b');
    await until(async () => (await growth(videoAt(atB))) > 0, 'video to b again', 20000);

    // A request from a peer that leaves leaves nothing behind: c still gets its share.
    atB.request('camera', { video: false });
    await until(() => encoding(a, b)?.active === false, 'paused again');
    await b.leave();
    await until(() => encoding(a, c)?.maxBitrate === 3_000_000 && encoding(a, c)?.active !== false, 'c alone gets the whole budget');
    stream.getTracks().forEach((t) => t.stop());
    await leaveAll([a, c]);
  });

  it('a request made before the connection opened (from connection:new) is sent once it opens', async function () {
    this.timeout(60000);
    const [a, b] = makePeers(2, new MemoryDriver()) as [Peer, Peer];
    const stream = await camera();
    a.share({ label: 'camera', stream });
    let stateAtRequest = '';
    b.on('connection:new', ({ remote }) => {
      stateAtRequest = remote.state;
      remote.request('camera', { maxHeight: 60 }); // replaced by the next one: the latest counts
      remote.request('camera', { video: false });
    });
    await formMesh([a, b], room());
    expect(stateAtRequest).to.equal('new');
    await until(() => remoteOf(b, a).streams.length === 1, 'the camera at b');
    await until(() => encoding(a, b)?.active === false, 'the sender towards b inactive from the start');
    expect(encoding(a, b)!.scaleResolutionDownBy ?? 1).to.equal(1);
    remoteOf(b, a).request('camera', {});
    await until(() => encoding(a, b)?.active !== false, 'active again once asked');
    stream.getTracks().forEach((t) => t.stop());
    await leaveAll([a, b]);
  });

  it('a request for an unknown label is an error event at the sender; bad arguments throw at the caller', async function () {
    this.timeout(30000);
    const [a, b] = makePeers(2, new MemoryDriver()) as [Peer, Peer];
    await formMesh([a, b], room());
    const errors: PeerixError[] = [];
    a.on('error', ({ error }) => errors.push(error));
    remoteOf(b, a).request('nothing-shared', { video: false });
    await until(() => errors.length > 0, 'an error at a');
    expect(errors[0]!.code).to.equal('ERR_UNEXPECTED');
    expect(a.connections.get(b.id)!.state).to.equal('connected');
    expect(() => remoteOf(b, a).request('camera', { maxHeight: 0 })).to.throw(/request/);
    expect(() => remoteOf(b, a).request('camera', { maxHeight: 1.5 })).to.throw(/request/);
    expect(() => remoteOf(b, a).request('camera', null as never)).to.throw(/request/);
    await leaveAll([a, b]);
  });
});
