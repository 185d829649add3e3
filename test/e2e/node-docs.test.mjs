// The Node.js code samples of docs/node.md and README ("Bots and Node.js"), run
// as written (each its own Node process, `peerix` resolved to the engine from
// src/) against real brokers, with a Node peer of the test in the same room
// checking what the sample says it does.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';
import { bundleEngine, guardProcess, loadWrtc, startNodePeer, waitFor } from './node-peer.mjs';
import { startMosquitto } from '../servers/mosquitto.mjs';
import { startNats } from '../servers/nats.mjs';
import { startSocketIoServer, startSseHub } from '../servers/node-servers.mjs';
import { spawnLogged, stopChild } from '../servers/process.mjs';

// Inside node_modules so the samples' bare imports (mqtt, @roamhq/wrtc, …) resolve from the repository.
const DIR = join(ROOT, 'node_modules/.cache/peerix-docs-samples');

/** The ```js blocks of a Markdown file (or of one of its sections). */
function samples(file, section) {
  let text = readFileSync(join(ROOT, file), 'utf8');
  if (section) {
    const start = text.indexOf(`## ${section}`);
    text = text.slice(start, text.indexOf('\n## ', start + 3));
  }
  return [...text.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
}

const SSE_TOKEN = 'peerix-docs-publisher';
let mosquitto, nats, socketIo, sseHub, rtc, guard;
const children = [];
const peers = [];
before(async () => {
  guard = guardProcess();
  mkdirSync(DIR, { recursive: true });
  await bundleEngine(join(DIR, 'peerix.mjs'));
  rtc = await loadWrtc();
  mosquitto = await startMosquitto();
  nats = await startNats();
  socketIo = await startSocketIoServer();
  sseHub = await startSseHub(['--token', SSE_TOKEN]);
});
after(async () => {
  for (const p of peers) await p.close().catch(() => {});
  for (const child of children) await stopChild(child, 500);
  await mosquitto?.close();
  await nats?.close();
  await socketIo?.close();
  await sseHub?.close();
  rmSync(DIR, { recursive: true, force: true });
  guard?.dispose();
});

/** Runs `code` as a program; its stdout is in `child.output()`. */
function run(name, code, env) {
  const file = join(DIR, `${name}.mjs`);
  writeFileSync(file, code);
  const child = spawnLogged(process.execPath, ['--import', join(ROOT, 'test/e2e/peerix-from-source.mjs'), file], {
    cwd: ROOT,
    env: { ...process.env, PEERIX_BUNDLE: join(DIR, 'peerix.mjs'), ...env },
  });
  children.push(child);
  return child;
}

const room = () => `docs-${Math.random().toString(36).slice(2)}`;

/** A Node peer of the test, on the prefix the samples use ('' as <peerix-room>). */
async function harnessPeer(kind, server, roomName, name = 'harness', token) {
  const p = await startNodePeer({ kind, server, room: roomName, name, rtc, prefix: '', label: 'chat', token });
  peers.push(p);
  return p;
}

describe('docs/node.md and README samples', () => {
  const [first, video, natsSample, socketIoSample, sseSample] = samples('docs/node.md');
  const [readme] = samples('README.md', 'Bots and Node.js');

  for (const [name, code] of [['node-md-first', first], ['readme-bots', readme]]) {
    test(`${name}: the peer joins over MQTT and prints what it is sent`, async () => {
      const r = room();
      const child = run(name, code, { PEERIX_URL: mosquitto.mqttUrl, PEERIX_ROOM: r });
      const p = await harnessPeer('mqtt', mosquitto, r);
      await waitFor(() => p.openChannels().includes('node'), { timeout: 30000, message: 'a chat channel to the sample peer' });
      await p.peer.send('hi there', { label: 'chat' });
      await waitFor(() => child.output().includes('harness says hi there'), { message: `the sample printing the message:\n${child.output()}` });
      await stopChild(child, 500);
    });
  }

  test('the received-video sample counts frames from a Node peer that shares video', async () => {
    const r = room();
    const child = run('node-md-video', video, { PEERIX_URL: mosquitto.mqttUrl, PEERIX_ROOM: r });
    const p = await harnessPeer('mqtt', mosquitto, r, 'camera');
    const source = new rtc.nonstandard.RTCVideoSource();
    const track = source.createTrack();
    const frame = { width: 160, height: 120, data: new Uint8ClampedArray(160 * 120 * 1.5) };
    const timer = setInterval(() => source.onFrame(frame), 20);
    try {
      p.peer.share({ label: 'camera', stream: new rtc.MediaStream([track]) });
      await waitFor(() => /100 frames of 160×120 from camera/.test(child.output()), { timeout: 40000, message: `the sample counting frames:\n${child.output()}` });
    } finally {
      clearInterval(timer);
      track.stop();
    }
    await stopChild(child, 500);
  });

  test('the NATS sample joins over TCP', async () => {
    const r = room();
    const child = run('node-md-nats', natsSample, { PEERIX_NATS_URL: nats.natsUrl, PEERIX_ROOM: r });
    const p = await harnessPeer('nats', nats, r);
    await waitFor(() => [...p.peer.connections.values()].some((c) => c.metadata.name === 'node' && c.state === 'connected'), { timeout: 30000, message: `a connection to the sample peer:\n${child.output()}` });
    await stopChild(child, 500);
    assert.deepEqual(guard.problems, []);
  });

  for (const [name, code, kind, env, token] of [
    ['node-md-socket-io', socketIoSample, 'socket-io', () => ({ PEERIX_SOCKET_URL: socketIo.url }), undefined],
    ['node-md-sse', sseSample, 'sse', () => ({ PEERIX_SSE_URL: sseHub.url, PEERIX_SSE_TOKEN: SSE_TOKEN }), SSE_TOKEN],
  ]) {
    test(`${name}: the peer joins through the ${kind} server and prints what it is sent`, async () => {
      const r = room();
      const child = run(name, code, { ...env(), PEERIX_ROOM: r });
      const p = await harnessPeer(kind, kind === 'sse' ? sseHub : socketIo, r, 'harness', token);
      await waitFor(() => p.openChannels().includes('node'), { timeout: 30000, message: `a chat channel to the sample peer:\n${child.output()}` });
      await p.peer.send('hi there', { label: 'chat' });
      await waitFor(() => child.output().includes('harness says hi there'), { message: `the sample printing the message:\n${child.output()}` });
      await stopChild(child, 500);
      assert.deepEqual(p.state.errors, []);
      assert.deepEqual(guard.problems, []);
    });
  }
});
