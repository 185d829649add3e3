// Pages joining one room at the same moment over Mosquitto, in Chromium and
// Firefox: the broker's order of their announces (each page sees where the
// echo of its own falls) lets exactly one side of every pair offer. A Node
// client on the same broker reads the plaintext kind byte of each envelope.
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
  listener.on('message', (topic, payload) => seen.push({ topic, kind: KINDS[payload[1]] ?? `kind ${payload[1]}` }));
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

    test('one broker offer and one answer per pair', async () => {
      const room = `at-once-${Math.random().toString(36).slice(2)}`;
      for (let i = 0; i < PAGES; i++) {
        const page = await openPeerPage(browser, `${web.url}/test/e2e/pages/drivers-mesh.html`, { name: `${kind}${i}` });
        await waitInPage(page, () => window.ready === true, undefined, { message: 'page ready' });
        page.peerName = `p${i}`;
        pages.push(page);
      }
      seen.length = 0;
      // Every page gets its start call in the same turn: the announces cross in flight.
      await Promise.all(pages.map((page) => page.evaluate((o) => window.start(o), { kind: 'mqtt', url: server.url, room, name: page.peerName })));
      for (const page of pages) {
        const others = pages.filter((p) => p !== page).map((p) => p.peerName).sort();
        await waitInPage(page, (o) => JSON.stringify(window.openChannels()) === JSON.stringify(o), others, { timeout: 30000, message: `${page.peerName}: data channels to ${others}` });
      }
      await sleep(500); // anything still in flight reaches the listener
      const count = (k) => seen.filter((m) => m.kind === k).length;
      const summary = Object.values(KINDS).map((k) => `${k} ${count(k)}`).join(', ');
      console.log(`${kind}, ${PAGES} at once: ${summary}`);
      assert.equal(count('Announce'), PAGES, summary);
      assert.equal(count('BrokerOffer'), PAIRS, `one offer per pair (${summary})`);
      assert.equal(count('BrokerAnswer'), PAIRS, `one answer per pair (${summary})`);
      for (const page of pages) assert.deepEqual(await page.evaluate(() => window.state.errors), [], `${page.peerName}: no errors`);
    });
  });
}
