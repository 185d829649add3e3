// A call across a 3-node nats-server cluster: two Chromium pages signal through
// different nodes (routes carry their messages between them), the call goes on
// while the third node, which neither uses, is stopped, and once that node is
// back a newcomer joins through it and meets both.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, openPeerPage, sleep, startStaticServer, waitInPage } from './harness.mjs';
import { startNatsCluster } from '../../bench/scale/brokers.mjs';

let web, browser, cluster;
const pages = [];
before(async () => {
  cluster = await startNatsCluster({ size: 3 });
  web = await startStaticServer();
  browser = await launchChromium();
});
after(async () => {
  for (const page of pages) await page.peerixClose().catch(() => {});
  await browser?.close();
  await web?.close();
  await cluster?.close();
});

async function join(node, room, name) {
  const page = await openPeerPage(browser, `${web.url}/test/e2e/pages/drivers-mesh.html`, { name });
  await waitInPage(page, () => window.ready === true, undefined, { message: 'page ready' });
  page.peerName = name;
  await page.evaluate((o) => window.start(o), { kind: 'nats', url: node.url, room, name, share: true });
  pages.push(page);
  return page;
}

async function meshOf(members) {
  for (const page of members) {
    const others = members.filter((p) => p !== page).map((p) => p.peerName).sort();
    await waitInPage(page, (o) => JSON.stringify(window.openChannels()) === JSON.stringify(o), others, { timeout: 30000, message: `${page.peerName}: channels to ${others}` });
  }
}

async function talk(members, text) {
  for (const page of members) await page.evaluate(([t, n]) => window.peer.send(`${t} from ${n}`, { label: 'data' }), [text, page.peerName]);
  for (const page of members) {
    const expected = members.filter((p) => p !== page).map((p) => `${p.peerName}:${text} from ${p.peerName}`);
    await waitInPage(page, (e) => e.every((m) => window.state.messages.includes(m)), expected, { message: `${page.peerName}: "${text}" from the others` });
  }
}

async function frames(page, from) {
  await waitInPage(page, (n) => window.state.streams.some((s) => s.from === n), from, { message: `${page.peerName}: a stream from ${from}` });
  let count = await page.evaluate((n) => window.framesFrom(n, 1500), from);
  if (count < 5) count = await page.evaluate((n) => window.framesFrom(n, 2500), from);
  return count;
}

test('two pages on different cluster nodes keep their call through the loss of a third node; a newcomer joins through it once back', async () => {
  const [n0, n1, n2] = cluster.nodes;
  const room = `cluster-${Math.random().toString(36).slice(2)}`;
  const a = await join(n0, room, 'a');
  const b = await join(n1, room, 'b');
  await meshOf([a, b]);
  await talk([a, b], 'hello');
  assert.ok((await frames(a, 'b')) >= 5, 'a sees b\'s video');

  // The node neither page uses goes away: the cluster loses a route, the call does not notice.
  await n2.stop();
  await cluster.waitForRoutes(1);
  await sleep(1500);
  await talk([a, b], 'still here');
  assert.ok((await frames(b, 'a')) >= 5, 'b still sees a\'s video');
  for (const page of [a, b]) assert.deepEqual(await page.evaluate(() => window.state.closed), [], `${page.peerName}: no connection closed`);

  // The node comes back and rejoins the cluster; a newcomer signals through it.
  await n2.start();
  await cluster.waitForRoutes(2);
  const c = await join(n2, room, 'c');
  await meshOf([a, b, c]);
  await talk([a, b, c], 'welcome');
  assert.ok((await frames(c, 'a')) >= 5, 'c sees a\'s video');
  assert.ok((await frames(a, 'c')) >= 5, 'a sees c\'s video');

  for (const page of pages) {
    assert.deepEqual(page.peerixErrors, [], `${page.peerName}: no page errors`);
    assert.deepEqual(await page.evaluate(() => window.state.errors), [], `${page.peerName}: no error events`);
  }
});
