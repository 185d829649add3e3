// Chromium ↔ Firefox calls over a real MQTT broker (aedes): data and video in
// every direction, both offerer directions, a mixed mesh, glare, and TURN only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPeerPage, startStaticServer, waitInPage } from './harness.mjs';
import { startEmbeddedBroker } from '../../servers/embedded-broker.mjs';
import { startCoturn } from '../servers/coturn.mjs';

let server;
let broker;
const browsers = {};
before(async () => {
  server = await startStaticServer();
  broker = await startEmbeddedBroker({ port: 0 });
  browsers.chromium = await launchBrowser('chromium');
  browsers.firefox = await launchBrowser('firefox');
});
after(async () => {
  await browsers.chromium?.close();
  await browsers.firefox?.close();
  await broker?.close();
  await server?.close();
});

/** Opens one page per entry of `kinds`, each a peer named `${kind}${i}`, joined in order. */
async function call(kinds, { share = true, iceServers, iceTransportPolicy, together = false } = {}) {
  const room = `x-${Math.random()}`;
  const pages = [];
  for (const [i, kind] of kinds.entries()) {
    const page = await openPeerPage(browsers[kind], `${server.url}/test/e2e/pages/drivers-mesh.html`, { name: `${kind}${i}` });
    await waitInPage(page, () => window.ready === true, undefined, { message: 'page ready' });
    page.peerName = `${kind}${i}`;
    pages.push(page);
  }
  const start = (page) => page.evaluate((o) => window.start(o), { kind: 'mqtt', url: broker.url, mqttVersion: 4, audio: true, room, name: page.peerName, iceServers, iceTransportPolicy, share });
  if (together) await Promise.all(pages.map(start));
  else {
    for (const page of pages) {
      await start(page);
      // joining in turn: the earlier pages are the offerers
      await waitInPage(page, (n) => window.openChannels().length === n, pages.indexOf(page), { timeout: 30000, message: `${page.peerName} connected to the earlier pages` });
    }
  }
  for (const page of pages) {
    await waitInPage(page, (n) => window.openChannels().length === n, pages.length - 1, { timeout: 30000, message: `${page.peerName}: full mesh` });
  }
  return pages;
}

/** Every page sends to every other on 'data'; every page receives every other's message. */
async function exchangeData(pages) {
  for (const page of pages) await page.evaluate((name) => window.peer.send(`hi from ${name}`, { label: 'data' }), page.peerName);
  for (const page of pages) {
    await waitInPage(page, (n) => window.state.messages.length >= n, pages.length - 1, { message: `${page.peerName}: messages` });
    const got = (await page.evaluate(() => window.state.messages)).sort();
    const expected = pages.filter((p) => p !== page).map((p) => `${p.peerName}:hi from ${p.peerName}`).sort();
    assert.deepEqual(got, expected);
  }
}

/** Every page renders frames of every other page's camera. */
async function checkVideo(pages) {
  for (const page of pages) {
    await waitInPage(page, (n) => window.state.streams.length >= n, pages.length - 1, { timeout: 30000, message: `${page.peerName}: remote streams` });
    for (const other of pages.filter((p) => p !== page)) {
      // A new <video> on a loaded machine may take a while to decode its first frames: measure again once, longer.
      let frames = await page.evaluate((name) => window.framesFrom(name), other.peerName);
      if (frames <= 5) frames = await page.evaluate((name) => window.framesFrom(name, 4000), other.peerName);
      assert.ok(frames > 5, `${page.peerName} rendered ${frames} frames of ${other.peerName}`);
    }
  }
}

async function closeAll(pages) {
  const errors = pages.flatMap((p) => p.peerixErrors);
  for (const page of pages) await page.peerixClose();
  assert.deepEqual(errors, []);
}

for (const order of [['chromium', 'firefox'], ['firefox', 'chromium']]) {
  test(`2 pages, ${order[0]} offers to ${order[1]}: data and video both ways`, async () => {
    const pages = await call(order);
    await exchangeData(pages);
    await checkVideo(pages);
    for (const page of pages) assert.deepEqual(await page.evaluate(() => window.state.errors), []);
    await closeAll(pages);
  });
}

test('both browsers share a camera right after joining at the same time (glare across browsers)', async () => {
  const pages = await call(['chromium', 'firefox'], { together: true });
  await exchangeData(pages);
  await checkVideo(pages);
  await closeAll(pages);
});

test('mid-call, both browsers share at the same instant, then both unshare: streams arrive and leave on both sides', async () => {
  for (let round = 0; round < 3; round++) {
    const pages = await call(['chromium', 'firefox'], { share: false });
    await Promise.all(pages.map((p) => p.evaluate(async () => { window.cam = await navigator.mediaDevices.getUserMedia({ video: true }); })));
    await Promise.all(pages.map((p) => p.evaluate(() => window.peer.share({ label: 'screen', stream: window.cam }))));
    await checkVideo(pages);
    await Promise.all(pages.map((p) => p.evaluate(() => window.peer.unshare('screen'))));
    for (const page of pages) await waitInPage(page, () => window.state.streams.length === 0, undefined, { message: `${page.peerName}: stream removed` });
    for (const page of pages) assert.deepEqual(await page.evaluate(() => window.state.errors), []);
    await closeAll(pages);
  }
});

test('a 4-page mesh with two Chromium and two Firefox: data and video in every direction', async () => {
  const pages = await call(['chromium', 'firefox', 'chromium', 'firefox']);
  await exchangeData(pages);
  await checkVideo(pages);
  await closeAll(pages);
});

test('TURN only (iceTransportPolicy relay), Chromium ↔ Firefox: the selected pair is relay/relay', async () => {
  const turn = await startCoturn();
  try {
    const pages = await call(['chromium', 'firefox'], { iceServers: [turn.iceServer], iceTransportPolicy: 'relay' });
    await exchangeData(pages);
    await checkVideo(pages);
    for (const page of pages) assert.deepEqual(await page.evaluate(() => window.selectedPairTypes()), ['relay/relay']);
    await closeAll(pages);
  } finally {
    await turn.stop();
  }
});
