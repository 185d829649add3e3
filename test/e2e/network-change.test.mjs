// A call survives a network outage: the address the peers use disappears for a few
// seconds (inside the test's private network namespace) and comes back; the pair must
// reconnect by itself (ICE restart, or a rebuild through the broker) and carry data again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { launchChromium, openPeerPage, startStaticServer, waitInPage, sleep } from './harness.mjs';
import { startEmbeddedBroker } from '../../servers/embedded-broker.mjs';

let server;
let broker;
let browser;
before(async () => {
  if (process.env.PEERIX_NETNS !== '1') {
    throw new Error('this test takes the network interface down: it needs the private network namespace that `npm test` makes as root (scripts/netns.mjs)');
  }
  server = await startStaticServer();
  broker = await startEmbeddedBroker({ port: 0 });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await broker?.close();
  await server?.close();
});

const ip = (...args) => execFileSync('ip', args, { stdio: 'pipe' });

async function outage(ms, { heartbeatTimeout } = {}) {
  const room = `outage-${Math.random()}`;
  const pages = [];
  for (const name of ['a', 'b']) {
    const page = await openPeerPage(browser, `${server.url}/test/e2e/pages/drivers-mesh.html`, { name });
    await waitInPage(page, () => window.ready === true);
    await page.evaluate((o) => window.start(o), { kind: 'mqtt', url: broker.url, mqttVersion: 4, audio: true, room, name, share: false, heartbeatTimeout });
    page.peerName = name;
    pages.push(page);
  }
  for (const page of pages) await waitInPage(page, () => window.openChannels().length === 1, undefined, { message: 'connected' });
  // The peers' only address goes away (as when a laptop drops its Wi-Fi), then comes back.
  ip('addr', 'del', '198.18.0.1/24', 'dev', 'v0');
  try {
    await sleep(ms);
  } finally {
    ip('addr', 'add', '198.18.0.1/24', 'dev', 'v0');
    ip('route', 'replace', 'default', 'via', '198.18.0.2', 'dev', 'v0');
  }
  // Back: the pair must be connected again and carry data both ways.
  for (const page of pages) await waitInPage(page, () => window.openChannels().length === 1, undefined, { timeout: 30000, message: `${page.peerName} reconnected` });
  for (const page of pages) {
    await waitInPage(page, (name) => {
      void window.peer.send(`after outage from ${name}`, { label: 'data' });
      return true;
    }, page.peerName);
  }
  for (const [i, page] of pages.entries()) {
    const other = pages[1 - i].peerName;
    await waitInPage(page, (other) => window.state.messages.includes(`${other}:after outage from ${other}`), other, { timeout: 15000, message: `${page.peerName} got data after the outage` });
  }
  // The outage was real: each side saw its connection break before it came back.
  for (const page of pages) {
    const events = await page.evaluate(() => window.state.connection);
    assert.ok(events.some((e) => e === 'connection:disconnected' || e === 'connection:closed'), `${page.peerName} saw no break: ${events}`);
    if (process.env.PEERIX_E2E_VERBOSE) console.log(page.peerName, events.join(' '));
  }
  assert.deepEqual(pages.flatMap((p) => p.peerixErrors), []);
  const events = await Promise.all(pages.map((p) => p.evaluate(() => window.state.connection)));
  for (const page of pages) await page.peerixClose();
  return events;
}

test('an outage shorter than the heartbeat timeout: the same connection recovers (ICE restart)', async () => {
  const events = await outage(8000, { heartbeatTimeout: 30000 });
  for (const e of events) {
    assert.ok(e.includes('connection:disconnected'), `no disconnection seen: ${e}`);
    assert.ok(!e.includes('connection:closed'), `the connection was rebuilt instead of restarted: ${e}`);
  }
});

test('an outage longer than the heartbeat timeout (6 s): the connection is rebuilt through the broker', async () => {
  await outage(6000);
});
