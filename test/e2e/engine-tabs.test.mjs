// Multi-page engine tests over BroadcastChannelDriver: several tabs of one
// browser context (BroadcastChannel does not cross contexts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, startStaticServer, waitInPage, sleep } from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await startStaticServer();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function openTabs(context, n) {
  const pages = [];
  for (let i = 0; i < n; i++) {
    const page = await context.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(e.message));
    await page.goto(`${server.url}/test/e2e/pages/engine.html`);
    await waitInPage(page, () => window.ready === true, undefined, { message: 'page ready' });
    pages.push(page);
  }
  return pages;
}

test('BroadcastChannelDriver delivers across two pages to subscribers of the namespace only', async () => {
  const context = await browser.newContext();
  const [a, b] = await openTabs(context, 2);
  const channel = `bc-${Math.random()}`;
  await b.evaluate((channel) => {
    const d = new peerix.BroadcastChannelDriver(channel);
    window.driver = d;
    window.got = { x: [], y: [] };
    window.hx = (m) => got.x.push(m);
    d.subscribe(['room', 'x'], hx);
    d.subscribe(['room', 'y'], (m) => got.y.push(m));
  }, channel);
  await a.evaluate((channel) => {
    window.driver = new peerix.BroadcastChannelDriver(channel);
    driver.publish(['room', 'x'], [1, 2, 3]);
    driver.publish(['room', 'z'], [9]);
  }, channel);
  await waitInPage(b, () => got.x.length === 1, undefined, { message: 'delivery on x' });
  await sleep(200);
  assert.deepEqual(await b.evaluate(() => got), { x: [[1, 2, 3]], y: [] });
  // unsubscribe stops delivery; destroy releases everything
  await b.evaluate(() => driver.unsubscribe(['room', 'x'], hx));
  await a.evaluate(() => driver.publish(['room', 'x'], [4]));
  await sleep(200);
  assert.equal(await b.evaluate(() => got.x.length), 1);
  assert.equal(await b.evaluate(() => driver.active), true);
  await b.evaluate(() => driver.destroy());
  assert.equal(await b.evaluate(() => driver.active), false);
  await a.evaluate(() => driver.publish(['room', 'y'], [5]));
  await sleep(200);
  assert.equal(await b.evaluate(() => got.y.length), 0);
  assert.deepEqual([...a.errors, ...b.errors], []);
  await context.close();
});

test('three tabs form a mesh over BroadcastChannel, exchange data and video', async () => {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const pages = await openTabs(context, 3);
  const room = `tabs-${Math.random()}`;
  for (const [i, page] of pages.entries()) {
    await page.evaluate(async ({ room, i }) => {
      const peer = new peerix.Peer({ driver: new peerix.BroadcastChannelDriver('peerix-e2e') });
      window.peer = peer;
      window.messages = [];
      window.remoteStreams = [];
      peer.on('channel:message', ({ remote, data }) => messages.push(`${remote.metadata.name}:${data}`));
      peer.on('stream:add', ({ stream, label }) => remoteStreams.push({ stream, label }));
      peer.open({ label: 'data' });
      await peer.join({ room, metadata: { name: `tab${i}` } });
    }, { room, i });
  }
  for (const page of pages) {
    await waitInPage(page, () => [...peer.connections.values()].filter((r) => r.channels.get('data')?.readyState === 'open').length === 2, undefined, { message: 'mesh of 3' });
  }
  await pages[0].evaluate(async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true });
    peer.share({ label: 'camera', stream });
  });
  for (const page of pages) await page.evaluate(() => peer.send(`hello from ${peer.metadata.name}`, { label: 'data' }));
  for (const [i, page] of pages.entries()) {
    await waitInPage(page, () => messages.length === 2, undefined, { message: 'two messages' });
    const got = (await page.evaluate(() => messages)).sort();
    const others = [0, 1, 2].filter((j) => j !== i).map((j) => `tab${j}:hello from tab${j}`);
    assert.deepEqual(got, others);
  }
  for (const page of pages.slice(1)) {
    await waitInPage(page, () => remoteStreams.length === 1, undefined, { message: 'camera stream' });
    const frames = await page.evaluate(() => countFrames(remoteStreams[0].stream, 1500));
    assert.ok(frames > 5, `remote video rendered only ${frames} frames`);
    assert.equal(await page.evaluate(() => remoteStreams[0].label), 'camera');
  }
  assert.deepEqual(pages.flatMap((p) => p.errors), []);
  await context.close();
});

test('a tab closed without leaving is seen as closed within 5 s', async () => {
  const context = await browser.newContext();
  const [a, b] = await openTabs(context, 2);
  const room = `vanish-${Math.random()}`;
  for (const page of [a, b]) {
    await page.evaluate(async (room) => {
      window.peer = new peerix.Peer({ driver: new peerix.BroadcastChannelDriver('peerix-e2e') });
      window.closedAt = 0;
      peer.on('connection:closed', () => (closedAt = Date.now()));
      await peer.join({ room });
    }, room);
  }
  for (const page of [a, b]) {
    await waitInPage(page, () => [...peer.connections.values()].some((r) => r.state === 'connected'), undefined, { message: 'connected' });
  }
  const start = Date.now();
  await b.close({ runBeforeUnload: false });
  await waitInPage(a, () => closedAt > 0, undefined, { timeout: 5000, message: 'connection:closed after the tab died' });
  const elapsed = (await a.evaluate(() => closedAt)) - start;
  assert.ok(elapsed < 5000, `took ${elapsed} ms`);
  assert.equal(await a.evaluate(() => peer.connections.size), 0);
  await context.close();
});
