import { expect } from '@open-wc/testing';
import { MemoryDriver, type Peer } from '../../src/index.js';
import { Recorder, pickMimeType, type LogLine } from '../../src/addons/recorder/index.js';
import { formMesh, leaveAll, makePeers, until } from '../engine/helpers.js';
import { colourStream, near, playRecording, sleep } from './media-helpers.js';

const room = () => `recorder-${Math.random()}`;
const RED: [number, number, number] = [255, 0, 0];
const BLUE: [number, number, number] = [0, 0, 255];

/** Two peers; `a` shares `stream` under `label`; resolves with the stream as `b` receives it. */
async function remoteOf(a: Peer, b: Peer, stream: MediaStream, label = 'camera', managed = false): Promise<MediaStream> {
  let remote: MediaStream | null = null;
  b.on('track:add', ({ stream: s }) => {
    if (s.getVideoTracks().length) remote = s;
  });
  a.share({ label, stream, managed });
  await until(() => remote !== null, 'the remote video');
  return remote!;
}

describe('Recorder', () => {
  it('picks a type this browser can record', () => {
    const type = pickMimeType(true);
    expect(type).to.match(/^video\/(webm|mp4)/);
    expect(MediaRecorder.isTypeSupported(type)).to.equal(true);
    expect(pickMimeType(false)).to.match(/^audio\//);
    expect(pickMimeType(true, false)).to.not.include('opus');
  });

  it('records 3 s of a remote camera into a Blob that plays: duration, frames and size', async function () {
    this.timeout(60000);
    const peers = makePeers(2, new MemoryDriver());
    const [a, b] = peers as [Peer, Peer];
    await formMesh(peers, room());
    const camera = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
    const remote = await remoteOf(a, b, camera);
    const recorder = new Recorder(remote, { timeslice: 1000 });
    const chunks: Blob[] = [];
    recorder.on('data', ({ blob }) => chunks.push(blob));
    recorder.start();
    expect(recorder.state).to.equal('recording');
    await sleep(3000);
    const blob = await recorder.stop();
    expect(recorder.state).to.equal('inactive');
    expect(blob.size).to.be.greaterThan(10000);
    expect(blob.type).to.equal(recorder.mimeType);
    expect(chunks.length).to.be.at.least(2); // per second (Firefox starts its first slice late) and the last
    expect(new Blob(chunks).size).to.equal(blob.size);
    const { width, height } = camera.getVideoTracks()[0]!.getSettings();
    const played = await playRecording(blob);
    expect(played.duration).to.be.at.least(2.5);
    expect(played.frames).to.be.greaterThan(20);
    expect([played.video.videoWidth, played.video.videoHeight]).to.deep.equal([width, height]);
    played.dispose();
    camera.getTracks().forEach((t) => t.stop());
    await leaveAll(peers);
  });

  it('keeps recording a remote stream across a managed replace of the shared track', async function () {
    this.timeout(60000);
    const peers = makePeers(2, new MemoryDriver());
    const [a, b] = peers as [Peer, Peer];
    await formMesh(peers, room());
    const red = colourStream('#f00');
    const remote = await remoteOf(a, b, red.stream, 'camera', true);
    const recorder = new Recorder(remote);
    let stops = 0;
    recorder.on('stop', () => stops++);
    recorder.start();
    await sleep(1500);
    const blue = colourStream('#00f');
    a.share({ label: 'camera', stream: blue.stream, managed: true }); // stops red's track
    expect(red.stream.getVideoTracks()[0]!.readyState).to.equal('ended');
    await sleep(1500);
    expect(recorder.state).to.equal('recording');
    const blob = await recorder.stop();
    expect(stops).to.equal(1);
    const played = await playRecording(blob);
    expect(played.duration).to.be.at.least(2.5);
    const firstBlue = played.colours.findIndex((c) => near(c, BLUE));
    expect(played.colours.findIndex((c) => near(c, RED)), 'red first').to.be.within(0, firstBlue);
    expect(firstBlue, 'then blue').to.be.greaterThan(0);
    expect(near(played.colours.at(-1)!, BLUE), 'blue at the end').to.equal(true);
    played.dispose();
    red.stop();
    blue.stop();
    await leaveAll(peers);
  });

  it('ends cleanly when the stream ends, and when a remote unshares', async function () {
    this.timeout(60000);
    const local = colourStream('#0f0');
    const recorder = new Recorder(local.stream);
    const stopped = new Promise<Blob>((resolve) => recorder.on('stop', ({ blob }) => resolve(blob)));
    recorder.start();
    await sleep(1000);
    local.stop();
    const blob = await stopped;
    expect(recorder.state).to.equal('inactive');
    expect(blob.size).to.be.greaterThan(0);
    expect(await recorder.stop()).to.equal(blob);

    const peers = makePeers(2, new MemoryDriver());
    const [a, b] = peers as [Peer, Peer];
    await formMesh(peers, room());
    const shared = colourStream('#0f0');
    const remote = await remoteOf(a, b, shared.stream, 'cam');
    const remoteRecorder = new Recorder(remote);
    remoteRecorder.start();
    await sleep(1000);
    a.unshare('cam');
    await until(() => remoteRecorder.state === 'inactive', 'the remote recording to end after unshare');
    expect((await remoteRecorder.stop()).size).to.be.greaterThan(0);
    shared.stop();
    await leaveAll(peers);
  });

  it('pause and resume; bad arguments throw PeerixError', async () => {
    const source = colourStream('#888');
    const recorder = new Recorder(source.stream);
    recorder.start();
    expect(() => recorder.start()).to.throw(/start\(\) while recording/);
    recorder.pause();
    expect(recorder.state).to.equal('paused');
    recorder.resume();
    expect(recorder.state).to.equal('recording');
    expect((await recorder.stop()).type).to.equal(recorder.mimeType);
    expect(() => new Recorder(source.stream, { mimeType: 'video/x-nope' }).start()).to.throw(/cannot record/);
    source.stop();
    expect(() => new Recorder(null)).to.throw(/labels/);
    expect(() => new Recorder({} as MediaStream)).to.throw(/MediaStream/);
    expect(() => new Recorder(source.stream, { labels: ['chat'] })).to.throw(/two Recorders/);
  });

  it('logs a short chat as exact NDJSON lines, own messages and binary included', async function () {
    this.timeout(30000);
    const peers = makePeers(2, new MemoryDriver());
    const [a, b] = peers as [Peer, Peer];
    a.open({ label: 'chat' });
    a.open({ label: 'other' });
    await formMesh(peers, room());
    await until(() => b.connections.get(a.id)?.channels.get('chat')?.readyState === 'open' && b.connections.get(a.id)?.channels.get('other')?.readyState === 'open', 'channels open');
    const log = new Recorder(null, { labels: ['chat'] });
    b.attach(log);
    expect(log.state).to.equal('recording');
    const received: string[] = [];
    a.on('channel:message', ({ data }) => received.push(String(data)));
    let atB = 0;
    b.on('channel:message', () => atB++);
    await a.send('hello, "B" 👋', { label: 'chat' });
    await until(() => atB === 1, 'first message');
    await b.send('hi A\nnew line', { label: 'chat' });
    await until(() => received.length === 1, 'reply');
    await a.send(new Uint8Array([0, 1, 2, 255]), { label: 'chat' });
    await a.send('not logged', { label: 'other' });
    await until(() => atB === 3, 'binary and other-label messages');
    await b.send(new Blob(['blob!']), { label: 'chat' });
    b.detach(log);
    await a.send('after detach', { label: 'chat' });
    const blob = await log.stop();
    expect(blob.type).to.equal('application/x-ndjson');
    const text = await blob.text();
    expect(text.endsWith('\n')).to.equal(true);
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as LogLine);
    expect(lines.map(({ t: _t, ...rest }) => rest)).to.deep.equal([
      { from: a.id, label: 'chat', data: 'hello, "B" 👋' },
      { from: b.id, label: 'chat', data: 'hi A\nnew line' },
      { from: a.id, label: 'chat', data: 'AAEC/w==', encoding: 'base64' },
      { from: b.id, label: 'chat', data: btoa('blob!'), encoding: 'base64' },
    ]);
    const times = lines.map((l) => l.t);
    expect(times.every((t, i) => Number.isInteger(t) && t >= 0 && (i === 0 || t >= times[i - 1]!))).to.equal(true);
    await leaveAll(peers);
  });

  it('a log over its byte limit stops with an ERR_TOO_LARGE error', async function () {
    this.timeout(30000);
    const peers = makePeers(2, new MemoryDriver());
    const [a, b] = peers as [Peer, Peer];
    a.open({ label: 'chat' });
    await formMesh(peers, room());
    const log = new Recorder(null, { labels: ['chat'], maxBytes: 1000 });
    const errors: string[] = [];
    log.on('error', ({ error }) => errors.push(error.code));
    b.attach(log);
    let atB = 0;
    b.on('channel:message', () => atB++);
    await a.send('x'.repeat(100), { label: 'chat' });
    await a.send('y'.repeat(2000), { label: 'chat' });
    await until(() => atB === 2, 'both messages');
    expect(errors).to.deep.equal(['ERR_TOO_LARGE']);
    expect(log.state).to.equal('inactive');
    const lines = (await log.stop()).text();
    expect((await lines).trimEnd().split('\n')).to.have.length(1);
    b.detach(log);
    await leaveAll(peers);
  });
});
