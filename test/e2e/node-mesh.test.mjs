// A Node.js peer (the engine with @roamhq/wrtc) and Chromium pages in one mesh,
// through Mosquitto (mqtt over TCP in Node, WebSockets in the pages) and through
// nats-server (TCP in Node, WebSockets in the pages): messages both ways, 32 MiB
// each way with matching SHA-256, the Node peer decodes the pages' video, and a
// leave is seen on the other side (figures printed). Then four Node peers alone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, openPeerPage, startStaticServer, waitInPage } from './harness.mjs';
import { guardProcess, loadWrtc, patternBytes, sendPattern, sha256, startNodePeer, waitFor } from './node-peer.mjs';
import { startMosquitto } from '../servers/mosquitto.mjs';
import { startNats } from '../servers/nats.mjs';

const BIG = 32 * 1024 * 1024;
/**
 * On a shared, loaded machine a process can stall for seconds in the middle of a 32 MiB
 * transfer: peers here count each other as gone only after 15 s of silence. A leave
 * must still be seen within this wait, so it is the goodbye that is seen, not the silence.
 */
const HEARTBEAT_TIMEOUT_MS = 15000;
const LEAVE_WAIT_MS = 3000;

const BACKENDS = [
  { name: 'Mosquitto', kind: 'mqtt', start: startMosquitto, options: { mqttVersion: 5 } },
  { name: 'nats-server', kind: 'nats', start: startNats, options: {} },
];

let web, browser, rtc, guard;
before(async () => {
  guard = guardProcess();
  rtc = await loadWrtc();
  web = await startStaticServer();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await web?.close();
  guard?.dispose();
});

/** Adds binary bookkeeping to a mesh page: SHA-256 of each binary message, and when each peer was seen leaving. */
function instrumentPage() {
  window.state.binaries = [];
  window.state.closedAt = {};
  window.peer.on('channel:message', async ({ remote, data }) => {
    if (typeof data === 'string') return;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
    window.state.binaries.push({ from: remote.metadata.name, bytes: data.byteLength, sha256: [...digest].map((b) => b.toString(16).padStart(2, '0')).join('') });
  });
  window.peer.on('connection:closed', ({ remote }) => (window.state.closedAt[remote.metadata.name] = Date.now()));
}

for (const backend of BACKENDS) {
  describe(`a Node peer and Chromium pages through ${backend.name}`, () => {
    let server, bot;
    const pages = [];
    before(async () => {
      server = await backend.start();
    });
    after(async () => {
      for (const page of pages) await page.peerixClose().catch(() => {});
      await bot?.close().catch(() => {});
      await server?.close();
    });

    test('messages, 32 MiB each way, video into Node, and leaves both ways', async () => {
      const room = `node-${Math.random().toString(36).slice(2)}`;
      for (const name of ['p1', 'p2']) {
        const page = await openPeerPage(browser, `${web.url}/test/e2e/pages/drivers-mesh.html`, { name });
        await waitInPage(page, () => window.ready === true, undefined, { message: 'page ready' });
        page.peerName = name;
        await page.evaluate((o) => window.start(o), { kind: backend.kind, url: server.url, room, name, share: name === 'p1', heartbeatTimeout: HEARTBEAT_TIMEOUT_MS, ...backend.options });
        await page.evaluate(instrumentPage);
        pages.push(page);
      }
      const joinedAt = Date.now();
      bot = await startNodePeer({ kind: backend.kind, server, room, name: 'bot', rtc, heartbeatTimeout: HEARTBEAT_TIMEOUT_MS });

      await waitFor(() => bot.openChannels().join() === 'p1,p2', { timeout: 30000, message: 'the Node peer: data channels to p1 and p2' });
      for (const page of pages) {
        const others = ['bot', ...pages.filter((p) => p !== page).map((p) => p.peerName)].sort();
        await waitInPage(page, (o) => JSON.stringify(window.openChannels()) === JSON.stringify(o), others, { timeout: 30000, message: `${page.peerName}: channels to ${others}` });
      }
      console.log(`# ${backend.name}: the Node peer connected to both pages ${Date.now() - joinedAt} ms after its join started`);

      // Text both ways.
      await bot.peer.send('hello from bot', { label: 'data' });
      for (const page of pages) {
        await waitInPage(page, () => window.state.messages.includes('bot:hello from bot'), undefined, { message: `${page.peerName}: the bot's message` });
        await page.evaluate((n) => window.peer.send(`hi from ${n}`, { label: 'data' }), page.peerName);
      }
      await waitFor(() => ['p1:hi from p1', 'p2:hi from p2'].every((m) => bot.state.messages.includes(m)), { message: 'the Node peer: both pages\' messages' });

      // 32 MiB from Node to every page, then from p1 to Node.
      const big = patternBytes(BIG, 7);
      const bigHash = sha256(big);
      let started = Date.now();
      await bot.peer.send(big, { label: 'data' });
      for (const page of pages) {
        await waitInPage(page, (h) => window.state.binaries.some((b) => b.from === 'bot' && b.sha256 === h), bigHash, { timeout: 180000, message: `${page.peerName}: 32 MiB from the bot` });
      }
      console.log(`# ${backend.name}: 32 MiB Node → 2 pages in ${Date.now() - started} ms`);
      started = Date.now();
      await pages[0].evaluate(sendPattern, [BIG, 11, 'bot']);
      const expected = sha256(patternBytes(BIG, 11));
      await waitFor(() => bot.state.binaries.some((b) => b.from === 'p1' && b.sha256 === expected), { timeout: 180000, message: 'the Node peer: 32 MiB from p1 with a matching hash' });
      console.log(`# ${backend.name}: 32 MiB page → Node in ${Date.now() - started} ms`);

      // Video from p1, decoded in Node.
      await waitFor(() => bot.state.tracks.some((t) => t.from === 'p1' && t.kind === 'video'), { message: 'the Node peer: a video track from p1' });
      const before = bot.state.frames;
      await waitFor(() => bot.state.frames - before >= 10, { timeout: 15000, message: 'the Node peer: 10 decoded video frames' });
      const counted = bot.state.frames;
      await new Promise((r) => setTimeout(r, 1000));
      console.log(`# ${backend.name}: the Node peer decoded ${bot.state.frames - counted} frames in 1 s`);

      // p2 leaves: the Node peer sees it. Then the Node peer leaves: p1 sees it.
      const p2Left = Date.now();
      await pages[1].evaluate(() => window.peer.leave());
      await waitFor(() => bot.state.closedAt.has('p2'), { timeout: LEAVE_WAIT_MS, message: 'the Node peer: p2 leaving' });
      const pageToNode = bot.state.closedAt.get('p2') - p2Left;
      const botLeft = Date.now();
      await bot.close();
      bot = null;
      const seen = await waitInPage(pages[0], () => window.state.closedAt.bot, undefined, { timeout: LEAVE_WAIT_MS, message: 'p1: the bot leaving' });
      const nodeToPage = (await seen.jsonValue()) - botLeft;
      console.log(`# ${backend.name}: leave seen page → Node after ${pageToNode} ms, Node → page after ${nodeToPage} ms`);

      for (const page of pages) assert.deepEqual(page.peerixErrors, [], `${page.peerName}: no page errors`);
      assert.deepEqual(guard.problems, [], 'no unhandled rejections or uncaught exceptions in Node');
    });
  });
}

describe('four Node peers', () => {
  let server;
  const peers = [];
  before(async () => {
    server = await startMosquitto();
  });
  after(async () => {
    for (const p of peers) await p.close().catch(() => {});
    await server?.close();
  });

  test('form a full mesh, exchange messages and a chunked 4 MiB message, and see each other leave', async () => {
    const room = `node4-${Math.random().toString(36).slice(2)}`;
    const names = ['n1', 'n2', 'n3', 'n4'];
    for (const name of names) peers.push(await startNodePeer({ kind: 'mqtt', server, room, name, rtc, heartbeatTimeout: HEARTBEAT_TIMEOUT_MS }));
    for (const p of peers) {
      const others = names.filter((n) => n !== p.name).join();
      await waitFor(() => p.openChannels().join() === others, { timeout: 30000, message: `${p.name}: channels to ${others}` });
    }
    for (const p of peers) await p.peer.send(`hello from ${p.name}`, { label: 'data' });
    for (const p of peers) {
      const expected = names.filter((n) => n !== p.name).map((n) => `${n}:hello from ${n}`);
      await waitFor(() => expected.every((m) => p.state.messages.includes(m)), { message: `${p.name}: every other peer's message` });
    }
    const chunked = patternBytes(4 * 1024 * 1024, 3);
    await peers[0].peer.send(chunked, { label: 'data' });
    for (const p of peers.slice(1)) {
      await waitFor(() => p.state.binaries.some((b) => b.from === 'n1' && b.sha256 === sha256(chunked)), { timeout: 30000, message: `${p.name}: 4 MiB from n1` });
    }
    const last = peers.pop();
    await last.close();
    for (const p of peers) await waitFor(() => p.state.closed.includes('n4'), { timeout: LEAVE_WAIT_MS, message: `${p.name}: n4 leaving` });
    for (const p of peers) assert.deepEqual(p.state.errors, [], `${p.name}: no error events`);
    assert.deepEqual(guard.problems, [], 'no unhandled rejections or uncaught exceptions in Node');
  });
});
