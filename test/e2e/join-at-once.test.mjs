// Pages announcing in one room at the same moment over Mosquitto, in Chromium
// and Firefox, each already subscribed: the broker's order of the announces
// (each page sees where the echo of its own falls) lets exactly one side of
// every pair offer. A Node client on the same broker reads each envelope's
// plaintext header (kind, sender) and topic (recipient).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { launchBrowser, openPeerPage, sleep, startStaticServer, waitInPage } from './harness.mjs';
import { startMosquitto } from '../servers/mosquitto.mjs';

const KINDS = { 1: 'Announce', 2: 'BrokerOffer', 3: 'BrokerAnswer', 4: 'BrokerCandidates', 5: 'BrokerLeave' };
const PAGES = 4;
const PAIRS = (PAGES * (PAGES - 1)) / 2;

let server, web, listener;
const seen = [];
before(async () => {
  server = await startMosquitto();
  web = await startStaticServer();
  listener = mqtt.connect(server.mqttUrl, { protocolVersion: 5, reconnectPeriod: 0 });
  await new Promise((resolve, reject) => { listener.once('connect', resolve); listener.once('error', reject); });
  // Envelope header: version/flags, kind, the sender's 33-byte id; an addressed message's topic ends in the recipient's id.
  listener.on('message', (topic, payload) => seen.push({
    kind: KINDS[payload[1]] ?? `kind ${payload[1]}`,
    from: Buffer.from(payload.subarray(2, 35)).toString('base64url'),
    to: topic.split('/').at(-1),
  }));
  await listener.subscribeAsync('mesh/#', { qos: 1 });
});
after(async () => {
  await listener?.endAsync();
  await web?.close();
  await server?.close();
});

for (const kind of ['chromium', 'firefox']) {
  describe(`${PAGES} ${kind} pages joining at once over Mosquitto`, () => {
    let browser;
    const pages = [];
    before(async () => { browser = await launchBrowser(kind); });
    after(async () => { await browser?.close(); });

    test('one side of every pair offers, the other answers', async () => {
      const room = `at-once-${Math.random().toString(36).slice(2)}`;
      for (let i = 0; i < PAGES; i++) {
        const page = await openPeerPage(browser, `${web.url}/test/e2e/pages/drivers-mesh.html`, { name: `${kind}${i}` });
        await waitInPage(page, () => window.ready === true, undefined, { message: 'page ready' });
        page.peerName = `p${i}`;
        pages.push(page);
      }
      seen.length = 0;
      // Every page subscribes, holding its announce; then all announces leave at once, so each
      // page hears every other's: by sender times alone both sides of every pair would offer.
      for (const page of pages) await page.evaluate((o) => window.start(o), { kind: 'mqtt', url: server.url, room, name: page.peerName, holdAnnounce: true });
      for (const page of pages) await waitInPage(page, () => window.driver.active, undefined, { message: `${page.peerName}: broker connected` });
      await sleep(300); // the SUBACKs
      await Promise.all(pages.map((page) => page.evaluate(() => window.releaseAnnounce())));
      for (const page of pages) {
        const others = pages.filter((p) => p !== page).map((p) => p.peerName).sort();
        await waitInPage(page, (o) => JSON.stringify(window.openChannels()) === JSON.stringify(o), others, { timeout: 30000, message: `${page.peerName}: data channels to ${others}` });
      }
      await sleep(500); // anything still in flight reaches the listener
      const count = (k) => seen.filter((m) => m.kind === k).length;
      const summary = Object.values(KINDS).map((k) => `${k} ${count(k)}`).join(', ');
      console.log(`${kind}, ${PAGES} at once: ${summary}`);
      assert.equal(count('Announce'), PAGES, summary);
      // A resent offer (unanswered for 2 s on a loaded machine) is the same direction: count directions, not messages.
      const directions = (k) => new Set(seen.filter((m) => m.kind === k).map((m) => `${m.from} ${m.to}`));
      const offers = directions('BrokerOffer');
      const pairs = new Set([...offers].map((d) => d.split(' ').sort().join(' ')));
      assert.equal(pairs.size, PAIRS, `every pair got an offer (${summary})`);
      assert.equal(offers.size, PAIRS, `one side of each pair offered (${summary})`);
      assert.equal(directions('BrokerAnswer').size, PAIRS, `one side of each pair answered (${summary})`);
      for (const page of pages) assert.deepEqual(await page.evaluate(() => window.state.errors), [], `${page.peerName}: no errors`);
    });
  });
}
