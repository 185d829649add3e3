/**
 * A connected peer that frames and negotiates with hostile intent
 * (docs/SECURITY.md, "Remote allocations"): huge announced chunked messages,
 * more transfers, bytes, channels, streams and transceivers than allowed.
 * Each gives an `error` event naming the peer; nothing is allocated past the caps.
 */
import { expect } from '@open-wc/testing';
import { MemoryDriver, Peer, type PeerixError } from '../../src/index.js';
import { until } from '../engine/helpers.js';
import { KIND, Proto, frame } from './raw.js';

const MiB = 1024 * 1024;

/** Two peers, the victim impolite (so it acts on Negotiate and ChannelOpen), with the attacker's signaling channel. */
async function pair(victimOptions: ConstructorParameters<typeof Peer>[0] = {}) {
  const signals = new Map<RTCPeerConnection, RTCDataChannel>();
  const create = RTCPeerConnection.prototype.createDataChannel;
  RTCPeerConnection.prototype.createDataChannel = function (this: RTCPeerConnection, label: string, init?: RTCDataChannelInit) {
    const dc = create.call(this, label, init);
    if (label === 'peerix') signals.set(this, dc);
    return dc;
  };
  const driver = new MemoryDriver();
  let victim: Peer;
  let attacker: Peer;
  do {
    victim = new Peer({ driver, ...victimOptions });
    attacker = new Peer({ driver });
    await Promise.all([victim.ready, attacker.ready]);
  } while (victim.id > attacker.id);
  const room = `alloc-${Math.random().toString(36).slice(2)}`;
  attacker.open({ label: 'files' });
  await victim.join({ room });
  await attacker.join({ room });
  await until(() => victim.connections.get(attacker.id)?.channels.get('files')?.readyState === 'open', 'the channel open');
  RTCPeerConnection.prototype.createDataChannel = create;
  const toVictim = attacker.connections.get(victim.id)!;
  const signal = signals.get(toVictim.connection)!;
  const errors: PeerixError[] = [];
  victim.on('error', ({ error }) => errors.push(error));
  return { victim, attacker, signal, files: toVictim.channels.get('files')!.raw!, errors };
}

function start(id: number, total: number, data = 16): Uint8Array<ArrayBuffer> {
  const f = new Uint8Array(14 + data);
  const v = new DataView(f.buffer);
  f[0] = 1;
  v.setUint32(1, id);
  v.setFloat64(5, total);
  return f;
}

function part(id: number, data: number): Uint8Array<ArrayBuffer> {
  const f = new Uint8Array(5 + data);
  f[0] = 2;
  new DataView(f.buffer).setUint32(1, id);
  return f;
}

describe('security: remote allocations', () => {
  const uncaught: unknown[] = [];
  const onError = (e: ErrorEvent) => uncaught.push(e.error ?? e.message);
  const onRejection = (e: PromiseRejectionEvent) => uncaught.push(e.reason);
  before(() => {
    addEventListener('error', onError);
    addEventListener('unhandledrejection', onRejection);
  });
  after(() => {
    removeEventListener('error', onError);
    removeEventListener('unhandledrejection', onRejection);
  });

  it('huge announced messages and too many transfers allocate nothing up front and give errors naming the peer', async function () {
    this.timeout(60000);
    const { victim, attacker, files, errors } = await pair({ maxIncomingBuffer: 4 * MiB });
    const heap = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    const before = heap?.usedJSHeapSize ?? 0;
    // 16 transfers announcing 512 MiB each on one channel, then one more, then one past the message cap.
    for (let id = 1; id <= 17; id++) files.send(start(id, 512 * MiB));
    files.send(start(100, 2 ** 40));
    files.send(start(101, -1));
    // Real bytes past the 4 MiB per-peer budget: 6 × 1 MiB parts spread over the transfers.
    for (let i = 0; i < 6; i++) for (let j = 0; j < 16; j++) files.send(part(1 + i, 64 * 1024));
    await until(() => errors.filter((e) => e.code === 'ERR_LIMIT').length >= 3, 'limit errors', 20000);
    await new Promise((r) => setTimeout(r, 500));
    const channel = victim.connections.get(attacker.id)!.channels.get('files')!;
    const after = heap?.usedJSHeapSize ?? 0;
    console.log(`hostile framing: ${errors.length} errors, ${channel.bufferedIncoming} bytes held, heap +${Math.round((after - before) / MiB)} MiB`);
    expect(channel.bufferedIncoming).to.be.at.most(4 * MiB);
    if (heap) expect(after - before).to.be.below(64 * MiB);
    expect(errors.every((e) => e.peerId === attacker.id)).to.equal(true);
    expect(errors.map((e) => e.code)).to.include.members(['ERR_LIMIT', 'ERR_DECODE']);
    expect(uncaught).to.deep.equal([]);
    // The channel still works for honest messages.
    let got: unknown;
    victim.on('channel:message', ({ data }) => (got = data));
    await attacker.send('still here', { label: 'files' });
    await until(() => got === 'still here', 'an honest message');
    await Promise.all([victim.leave(), attacker.leave()]);
  });

  it('negotiation: transceivers, channels and stream labels past their caps are refused with errors', async function () {
    this.timeout(60000);
    const { victim, attacker, signal, errors } = await pair({ maxTransceivers: 8, maxRemoteChannels: 5, maxRemoteStreams: 4 });
    for (let i = 0; i < 4; i++) signal.send(frame(KIND.Negotiate, new Proto().uint(1, 64).uint(2, 64).finish()));
    for (let i = 0; i < 40; i++) signal.send(frame(KIND.ChannelOpen, new Proto().string(1, `label-${i}`).finish()));
    for (let i = 0; i < 10; i++) {
      const streams = new Proto();
      for (let j = 0; j < 64; j++) streams.bytesField(1, new Proto().string(1, `s-${i}-${j}`).string(2, 'x').finish());
      signal.send(frame(KIND.Streams, streams.finish()));
    }
    // An in-band offer whose m-lines would each become a transceiver.
    const scratch = new RTCPeerConnection();
    for (let i = 0; i < 20; i++) scratch.addTransceiver(i % 2 ? 'video' : 'audio');
    const big = (await scratch.createOffer()).sdp!;
    scratch.close();
    const sdpType = new Proto().uint(1, 1).string(2, big).finish();
    signal.send(frame(KIND.Description, sdpType));
    await until(() => errors.filter((e) => e.code === 'ERR_LIMIT').length >= 4, 'limit errors', 20000);
    await new Promise((r) => setTimeout(r, 500));
    const remote = victim.connections.get(attacker.id)!;
    expect(remote.connection.getTransceivers().length).to.be.at.most(8);
    expect(remote.channels.size).to.be.at.most(5);
    const limits = errors.filter((e) => e.code === 'ERR_LIMIT');
    expect(limits.every((e) => e.peerId === attacker.id)).to.equal(true);
    expect(limits.some((e) => /transceivers/.test(e.message))).to.equal(true);
    expect(limits.some((e) => /channels/.test(e.message))).to.equal(true);
    expect(limits.some((e) => /streams/.test(e.message))).to.equal(true);
    expect(limits.some((e) => /m-lines/.test(e.message))).to.equal(true);
    expect(uncaught).to.deep.equal([]);
    await Promise.all([victim.leave(), attacker.leave()]);
  });
});
