// A Node.js peer (the engine with @roamhq/wrtc) and a browser page (Chromium, then
// Firefox) in one room
// through the real Socket.IO reference server (socket.io-client in Node) and the
// real SSE hub (Node 20 has no EventSource: the `eventsource` package's, as
// docs/node.md says; publishes are Node's fetch). The servers are the ones the
// driver suites start (test/servers/node-servers.mjs). Messages both ways, 4 MiB
// each way with matching SHA-256, and a leave seen on the other side both ways.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPeerPage, startStaticServer, waitInPage } from './harness.mjs';
import { guardProcess, loadWrtc, patternBytes, sendPattern, sha256, startNodePeer, waitFor } from './node-peer.mjs';
import { startSocketIoServer, startSseHub } from '../servers/node-servers.mjs';

const TOKEN = 'peerix-node-publisher';
const SIZE = 4 * 1024 * 1024;
/** Silence counts as leaving only after this: a leave must be seen as a goodbye, well before. */
const HEARTBEAT_TIMEOUT_MS = 15000;
const LEAVE_WAIT_MS = 3000;

const BACKENDS = [
  { name: 'the Socket.IO reference server', kind: 'socket-io', start: () => startSocketIoServer(['--prefix', 'peerix:']), options: {} },
  { name: 'the SSE hub', kind: 'sse', start: () => startSseHub(['--token', TOKEN]), options: { token: TOKEN } },
];

const BROWSERS = ['chromium', 'firefox'];

let web, rtc, guard;
const browsers = {};
before(async () => {
  guard = guardProcess();
  rtc = await loadWrtc();
  web = await startStaticServer();
});
after(async () => {
  for (const browser of Object.values(browsers)) await browser.close();
  await web?.close();
  guard?.dispose();
});

/** SHA-256 of each binary message the page receives, and when each peer was seen leaving. */
function instrumentPage() {
  window.state.binaries = [];
  window.state.closedAt = {};
  window.peer.on('channel:message', async ({ remote, data }) => {
    if (typeof data === 'string') return;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
    window.state.binaries.push({ from: remote.metadata.name, sha256: [...digest].map((b) => b.toString(16).padStart(2, '0')).join('') });
  });
  window.peer.on('connection:closed', ({ remote }) => (window.state.closedAt[remote.metadata.name] = Date.now()));
}

for (const kind of BROWSERS) for (const backend of BACKENDS) {
  describe(`a Node peer and a ${kind} page through ${backend.name}`, () => {
    let server, node, page;
    before(async () => {
      browsers[kind] ??= await launchBrowser(kind);
      server = await backend.start();
    });
    after(async () => {
      await page?.peerixClose().catch(() => {});
      await node?.close().catch(() => {});
      await server?.close();
    });

    test('connect, messages and 4 MiB both ways, leaves seen both ways', async () => {
      const room = `node-${backend.kind}-${Math.random().toString(36).slice(2)}`;
      page = await openPeerPage(browsers[kind], `${web.url}/test/e2e/pages/drivers-mesh.html`, { name: 'page' });
      await waitInPage(page, () => window.ready === true, undefined, { message: 'page ready' });
      await page.evaluate((o) => window.start(o), { kind: backend.kind, url: server.url, room, name: 'page', heartbeatTimeout: HEARTBEAT_TIMEOUT_MS, ...backend.options });
      await page.evaluate(instrumentPage);
      const started = Date.now();
      node = await startNodePeer({ kind: backend.kind, server, room, name: 'node', rtc, heartbeatTimeout: HEARTBEAT_TIMEOUT_MS, ...backend.options });

      await waitFor(() => node.openChannels().join() === 'page', { timeout: 30000, message: 'the Node peer: a data channel to the page' });
      await waitInPage(page, () => window.openChannels().join() === 'node', undefined, { timeout: 30000, message: 'the page: a data channel to the Node peer' });
      console.log(`# ${kind}, ${backend.kind}: the Node peer connected to the page ${Date.now() - started} ms after its join started`);

      await node.peer.send('hello from node', { label: 'data' });
      await waitInPage(page, () => window.state.messages.includes('node:hello from node'), undefined, { message: 'the page: the Node peer\'s message' });
      await page.evaluate(() => window.peer.send('hi from page', { label: 'data' }));
      await waitFor(() => node.state.messages.includes('page:hi from page'), { message: 'the Node peer: the page\'s message' });

      const bytes = patternBytes(SIZE, 5);
      await node.peer.send(bytes, { label: 'data' });
      await waitInPage(page, (h) => window.state.binaries.some((b) => b.from === 'node' && b.sha256 === h), sha256(bytes), { timeout: 60000, message: 'the page: 4 MiB from the Node peer' });
      await page.evaluate(sendPattern, [SIZE, 9, 'node']);
      const expected = sha256(patternBytes(SIZE, 9));
      await waitFor(() => node.state.binaries.some((b) => b.from === 'page' && b.sha256 === expected), { timeout: 60000, message: 'the Node peer: 4 MiB from the page with a matching hash' });

      // The Node peer leaves and the page sees it; it joins again, then the page leaves and Node sees it.
      let left = Date.now();
      await node.close();
      node = null;
      await waitInPage(page, () => window.state.closedAt.node, undefined, { timeout: LEAVE_WAIT_MS, message: 'the page: the Node peer leaving' });
      const nodeToPage = (await page.evaluate(() => window.state.closedAt.node)) - left;
      node = await startNodePeer({ kind: backend.kind, server, room, name: 'node', rtc, heartbeatTimeout: HEARTBEAT_TIMEOUT_MS, ...backend.options });
      await waitFor(() => node.openChannels().join() === 'page', { timeout: 30000, message: 'the Node peer, back: a data channel to the page' });
      left = Date.now();
      await page.evaluate(() => window.peer.leave());
      await waitFor(() => node.state.closedAt.has('page'), { timeout: LEAVE_WAIT_MS, message: 'the Node peer: the page leaving' });
      console.log(`# ${kind}, ${backend.kind}: leave seen Node → page after ${nodeToPage} ms, page → Node after ${node.state.closedAt.get('page') - left} ms`);

      assert.deepEqual(node.state.errors, [], 'no error events in Node');
      assert.deepEqual(page.peerixErrors, [], 'no page errors');
      assert.deepEqual(await page.evaluate(() => window.state.errors), [], 'no error events in the page');
      assert.deepEqual(guard.problems, [], 'no unhandled rejections or uncaught exceptions in Node');
    });
  });
}
