import { expect } from '@open-wc/testing';
import { MemoryDriver, type Peer, type RemotePeer } from '../../src/index.js';
import { formMesh, leaveAll, makePeers, until } from './helpers.js';

const room = () => `media-${Math.random()}`;
const remoteOf = (p: Peer, other: Peer): RemotePeer => p.connections.get(other.id)!;
const camera = () => navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true });

/** Plays `stream` in a <video> and counts rendered frames for `ms`. */
async function framesRendered(stream: MediaStream, ms = 1500): Promise<number> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  document.body.append(video);
  let frames = 0;
  const count = (): void => {
    frames++;
    video.requestVideoFrameCallback(count);
  };
  video.requestVideoFrameCallback(count);
  await video.play();
  await new Promise((r) => setTimeout(r, ms));
  video.remove();
  return frames;
}

describe('media', () => {
  it('a shared camera reaches every remote with its label and renders frames; unshare removes it', async function () {
    this.timeout(60000);
    const peers = makePeers(3, new MemoryDriver());
    const [a, b, c] = peers as [Peer, Peer, Peer];
    const events: string[] = [];
    const remoteStreams = new Map<Peer, MediaStream>();
    for (const p of [b, c]) {
      p.on('stream:add', ({ stream, label, remote }) => {
        expect(remote.id).to.equal(a.id);
        events.push(`${p === b ? 'b' : 'c'}:stream:add:${label}`);
        remoteStreams.set(p, stream);
      });
      p.on('track:add', ({ track, label }) => events.push(`${p === b ? 'b' : 'c'}:track:add:${track.kind}:${label}`));
      p.on('track:remove', ({ track, label }) => events.push(`${p === b ? 'b' : 'c'}:track:remove:${track.kind}:${label}`));
      p.on('stream:remove', ({ label }) => events.push(`${p === b ? 'b' : 'c'}:stream:remove:${label}`));
    }
    await formMesh(peers, room());
    const stream = await camera();
    a.share({ label: 'camera', stream });
    await until(() => ['b', 'c'].every((x) => events.includes(`${x}:track:add:video:camera`) && events.includes(`${x}:track:add:audio:camera`)), 'tracks at b and c');
    expect(events).to.include('b:stream:add:camera');
    expect(events).to.include('c:stream:add:camera');
    expect(remoteOf(b, a).labelOf(remoteStreams.get(b)!)).to.equal('camera');
    expect(await framesRendered(remoteStreams.get(b)!)).to.be.greaterThan(5);
    a.unshare('camera');
    await until(() => ['b', 'c'].every((x) => events.includes(`${x}:stream:remove:camera`)), 'stream removed at b and c');
    expect(events).to.include('b:track:remove:video:camera');
    expect(events).to.include('c:track:remove:audio:camera');
    stream.getTracks().forEach((t) => t.stop());
    await leaveAll(peers);
  });

  it('a stream shared before join arrives after the connection forms', async () => {
    const [a, b] = makePeers(2, new MemoryDriver()) as [Peer, Peer];
    const stream = await camera();
    a.share({ label: 'early', stream });
    let label = '';
    b.on('stream:add', (e) => (label = e.label));
    await formMesh([a, b], room());
    await until(() => label === 'early', 'early stream');
    stream.getTracks().forEach((t) => t.stop());
    await leaveAll([a, b]);
  });

  it('replacing a managed stream under the same label stops the old tracks and keeps the remote stream flowing', async function () {
    this.timeout(30000);
    const [a, b] = makePeers(2, new MemoryDriver()) as [Peer, Peer];
    await formMesh([a, b], room());
    const first = await camera();
    a.share({ label: 'camera', stream: first, managed: true });
    let remote: MediaStream | null = null;
    b.on('stream:add', ({ stream }) => (remote = stream));
    await until(() => remote !== null, 'remote stream');
    const second = await camera();
    a.share({ label: 'camera', stream: second, managed: true });
    expect(first.getTracks().every((t) => t.readyState === 'ended')).to.equal(true);
    expect(second.getTracks().every((t) => t.readyState === 'live')).to.equal(true);
    expect(await framesRendered(remote!)).to.be.greaterThan(5);
    a.unshare('camera');
    expect(second.getTracks().every((t) => t.readyState === 'ended')).to.equal(true);
    await leaveAll([a, b]);
  });

  it('applies audio and video sender parameters', async () => {
    const [a, b] = makePeers(2, new MemoryDriver()) as [Peer, Peer];
    await formMesh([a, b], room());
    const stream = await camera();
    a.share({ label: 'cam', stream, audioParameters: { maxBitrate: 16000 }, videoParameters: { maxBitrate: 64000 } });
    const pc = remoteOf(a, b).connection;
    await until(() => pc.getSenders().filter((s) => s.track).length === 2 && pc.getSenders().every((s) => !s.track || s.getParameters().encodings?.[0]?.maxBitrate), 'parameters set');
    for (const sender of pc.getSenders().filter((s) => s.track)) {
      expect(sender.getParameters().encodings[0]!.maxBitrate).to.equal(sender.track!.kind === 'audio' ? 16000 : 64000);
    }
    stream.getTracks().forEach((t) => t.stop());
    await leaveAll([a, b]);
  });

  it('both peers share at the same instant (glare): each gets the other stream over one connection', async function () {
    this.timeout(30000);
    const [a, b] = makePeers(2, new MemoryDriver()) as [Peer, Peer];
    await formMesh([a, b], room());
    // max-bundle: media added later rides the data channel's transport, nothing new is gathered
    // (with the default policy Firefox gathered and checked a transport per new m-line).
    const gathered: string[] = [];
    for (const [p, q] of [[a, b], [b, a]] as const) remoteOf(p, q).connection.addEventListener('icecandidate', ({ candidate }) => candidate?.candidate && gathered.push(candidate.candidate));
    const labels: string[] = [];
    a.on('stream:add', ({ label }) => labels.push(`a:${label}`));
    b.on('stream:add', ({ label }) => labels.push(`b:${label}`));
    const [sa, sb] = await Promise.all([camera(), camera()]);
    a.share({ label: 'from-a', stream: sa });
    b.share({ label: 'from-b', stream: sb });
    await until(() => labels.includes('a:from-b') && labels.includes('b:from-a'), 'both streams');
    expect(a.connections.size).to.equal(1);
    expect(b.connections.size).to.equal(1);
    const pcA = remoteOf(a, b).connection;
    await until(() => pcA.signalingState === 'stable', 'stable');
    expect(pcA.getReceivers().filter((r) => r.track.readyState === 'live').length).to.be.at.least(2);
    // The polite side's request crossed the impolite side's offer, whose m-lines its tracks
    // took: no spare recvonly m-lines, no second round (an audio and a video m-line each way).
    const pcB = remoteOf(b, a).connection;
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const pc of [pcA, pcB]) {
      expect(pc.signalingState).to.equal('stable');
      expect(pc.getTransceivers().map((t) => `${t.receiver.track.kind} ${t.currentDirection}`).sort()).to.deep.equal(['audio sendrecv', 'video sendrecv']);
    }
    expect(gathered).to.deep.equal([]);
    [...sa.getTracks(), ...sb.getTracks()].forEach((t) => t.stop());
    await leaveAll([a, b]);
  });

  it('a track that ends locally is removed on the remote side', async function () {
    this.timeout(30000);
    const [a, b] = makePeers(2, new MemoryDriver()) as [Peer, Peer];
    await formMesh([a, b], room());
    const stream = await camera();
    a.share({ label: 'cam', stream });
    const removed: string[] = [];
    let added = 0;
    b.on('track:add', () => added++);
    b.on('track:remove', ({ track }) => removed.push(track.kind));
    await until(() => added === 2, 'two tracks');
    stream.getVideoTracks()[0]!.stop();
    await until(() => removed.includes('video'), 'video removed remotely');
    expect(removed).to.not.include('audio');
    stream.getTracks().forEach((t) => t.stop());
    await leaveAll([a, b]);
  });
});
