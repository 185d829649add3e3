// Three pages, each its own browser context and peer, form a mesh through each
// signaling server and exchange data and video. Broker restarts: Mosquitto and
// nats-server are stopped for 5 s during a call; the call goes on, and after
// the broker returns a new page joins and connects to every peer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, openPeerPage, sleep, startStaticServer, waitInPage } from './harness.mjs';
import { startMosquitto } from '../servers/mosquitto.mjs';
import { startNats } from '../servers/nats.mjs';
import { startAedes, startCentrifugoStandIn, startSocketIoServer, startSseHub, startSupabaseStandIn } from '../servers/node-servers.mjs';

const TOKEN = 'peerix-mesh-publisher';
const BACKENDS = [
  { name: 'Mosquitto (MQTT 5)', kind: 'mqtt', start: startMosquitto, options: { mqttVersion: 5 }, restart: true },
  { name: 'aedes (MQTT 3.1.1)', kind: 'mqtt', start: startAedes, options: { mqttVersion: 4 } },
  { name: 'nats-server', kind: 'nats', start: startNats, restart: true },
  { name: 'Socket.IO reference server', kind: 'socket-io', start: () => startSocketIoServer(['--prefix', 'peerix:']) },
  { name: 'SSE reference hub', kind: 'sse', start: () => startSseHub(['--token', TOKEN]), options: { token: TOKEN } },
  { name: 'Supabase Realtime stand-in', kind: 'supabase', start: () => startSupabaseStandIn(), options: { key: 'stand-in' } },
  { name: 'Centrifugo stand-in', kind: 'centrifuge', start: () => startCentrifugoStandIn(), options: { token: '' } },
];

let web, browser;
before(async () => {
  web = await startStaticServer();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await web?.close();
});

async function openPeer(server, backend, room, name) {
  const page = await openPeerPage(browser, `${web.url}/test/e2e/pages/drivers-mesh.html`, { name });
  await waitInPage(page, () => window.ready === true, undefined, { message: 'page ready' });
  page.peerName = name;
  await page.evaluate((o) => window.start(o), { kind: backend.kind, url: server.url, room, name, share: true, ...backend.options });
  return page;
}

async function fullMesh(pages) {
  for (const page of pages) {
    const others = pages.filter((p) => p !== page).map((p) => p.peerName).sort();
    await waitInPage(page, (o) => JSON.stringify(window.openChannels()) === JSON.stringify(o), others, { timeout: 30000, message: `${page.peerName}: data channels to ${others}` });
  }
}

async function exchange(pages, text) {
  for (const page of pages) await page.evaluate(([t, n]) => window.peer.send(`${t} from ${n}`, { label: 'data' }), [text, page.peerName]);
  for (const page of pages) {
    const expected = pages.filter((p) => p !== page).map((p) => `${p.peerName}:${text} from ${p.peerName}`).sort();
    await waitInPage(page, (e) => e.every((m) => window.state.messages.includes(m)), expected, { message: `${page.peerName}: "${text}" from every other page` });
  }
}

async function videoFromAll(pages) {
  for (const page of pages) {
    for (const other of pages.filter((p) => p !== page)) {
      await waitInPage(page, (n) => window.state.streams.some((s) => s.from === n), other.peerName, { timeout: 20000, message: `${page.peerName}: stream from ${other.peerName}` });
      // A stream that just arrived may take a moment to decode: measure again once.
      let frames = await page.evaluate((n) => window.framesFrom(n, 1500), other.peerName);
      if (frames < 5) frames = await page.evaluate((n) => window.framesFrom(n, 2500), other.peerName);
      assert.ok(frames >= 5, `${page.peerName} got ${frames} frames from ${other.peerName}`);
    }
  }
}

for (const backend of BACKENDS) {
  describe(`mesh through ${backend.name}`, () => {
    let server;
    const pages = [];
    before(async () => { server = await backend.start(); });
    after(async () => {
      for (const page of pages) await page.context().close().catch(() => {});
      await server?.close();
    });

    test('three pages form a mesh and exchange data and video', async () => {
      const room = `mesh-${Math.random().toString(36).slice(2)}`;
      for (const name of ['p1', 'p2', 'p3']) pages.push(await openPeer(server, backend, room, name));
      await fullMesh(pages);
      await exchange(pages, 'hello');
      await videoFromAll(pages);
      for (const page of pages) assert.deepEqual(page.peerixErrors, []);
    });

    if (backend.restart) {
      test('broker down for 5 s: the call goes on; afterwards a new page connects to every peer', async () => {
        assert.equal(pages.length, 3, 'needs the mesh of the previous test');
        await server.stop();
        await waitInPage(pages[0], () => window.driver.active === false, undefined, { timeout: 15000, message: 'driver inactive while the broker is down' });
        await exchange(pages, 'during the outage');
        await sleep(5000);
        await exchange(pages, 'still');
        await server.start();
        for (const page of pages) await waitInPage(page, () => window.driver.active === true, undefined, { timeout: 30000, message: `${page.peerName}: driver active again` });
        const roomName = await pages[0].evaluate(() => window.peer.room);
        pages.push(await openPeer(server, backend, roomName, 'p4'));
        await fullMesh(pages);
        await exchange(pages, 'after the restart');
        await videoFromAll(pages.slice(-1).concat(pages[0]));
      });
    }
  });
}
