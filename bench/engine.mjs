#!/usr/bin/env node
// `npm run bench:engine`: broker messages and bytes to connect peers, counted
// at the driver, and the time from join to full mesh, in the system Chromium.
// A benchmark, not a test: it prints figures beside the targets.
import { launchChromium, startStaticServer, waitInPage } from '../test/e2e/harness.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const server = await startStaticServer();
const browser = await launchChromium();
const page = await browser.newPage();
await page.goto(`${server.url}/test/e2e/pages/engine.html`);
await waitInPage(page, () => window.ready === true);

await page.evaluate(() => {
  const { Peer, MemoryDriver } = window.peerix;
  class CountingDriver extends MemoryDriver {
    messages = 0;
    bytes = 0;
    publish(ns, msg) {
      this.messages++;
      this.bytes += msg.length;
      super.publish(ns, msg);
    }
  }
  const connected = (peers) => peers.every((p) => [...p.connections.values()].filter((r) => r.state === 'connected').length === peers.length - 1);
  const until = (check) => new Promise((resolve, reject) => {
    const start = performance.now();
    const poll = () => (check() ? resolve() : performance.now() - start > 60000 ? reject(new Error('timeout')) : setTimeout(poll, 2));
    poll();
  });
  /** Counts broker traffic until the mesh is formed and candidates settled. */
  window.signalingCost = async (n, together) => {
    const driver = new CountingDriver();
    const peers = Array.from({ length: n }, () => new Peer({ driver }));
    await Promise.all(peers.map((p) => p.ready));
    const room = `bench-${Math.random()}`;
    if (together) await Promise.all(peers.map((p) => p.join({ room, metadata: { name: 'peer' } })));
    else {
      for (const [i, p] of peers.entries()) {
        await p.join({ room, metadata: { name: 'peer' } });
        await until(() => connected(peers.slice(0, i + 1)));
      }
    }
    await until(() => connected(peers));
    await new Promise((r) => setTimeout(r, 500)); // late candidates, if any
    const result = { messages: driver.messages, bytes: driver.bytes };
    await Promise.all(peers.map((p) => p.leave()));
    return result;
  };
  /** Milliseconds from join() (all at once) until every pair has an open data channel. */
  window.meshTime = async (n) => {
    const driver = new MemoryDriver();
    const peers = Array.from({ length: n }, () => new Peer({ driver }));
    await Promise.all(peers.map((p) => p.ready));
    for (const p of peers) p.open({ label: 'data' });
    const room = `time-${Math.random()}`;
    const start = performance.now();
    await Promise.all(peers.map((p) => p.join({ room })));
    await until(() => peers.every((p) => [...p.connections.values()].filter((r) => r.channels.get('data')?.readyState === 'open').length === n - 1));
    const elapsed = performance.now() - start;
    await Promise.all(peers.map((p) => p.leave()));
    return elapsed;
  };
});

const pairs = (n) => (n * (n - 1)) / 2;
const rows = [];
for (const [n, together] of [[2, false], [2, true], [4, false], [6, false], [8, false], [8, true]]) {
  const { messages, bytes } = await page.evaluate(([n, t]) => signalingCost(n, t), [n, together]);
  rows.push({ n, join: together ? 'at once' : 'in turn', messages, bytes, perPair: `${(messages / pairs(n)).toFixed(1)} msg, ${Math.round(bytes / pairs(n))} B` });
}
console.log('\nBroker signaling to form the mesh (counted at the driver, encryption + compression on)\n');
console.log('| N | join | messages | bytes | per pair |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.n} | ${r.join} | ${r.messages} | ${r.bytes} | ${r.perPair} |`);
console.log('\nTargets: ≤ 4 messages and ≤ 600 bytes per pair for a sequential join of 2; a mesh of 8 in ≤ 72 messages.');
console.log('Published Peerix for scale: ~7–8 messages and 0.9–1.6 KB per pair; N + 5·N(N−1)/2 messages for a mesh of N.');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`\nTime from join to full mesh (every pair has an open data channel), ${RUNS} runs, one page, MemoryDriver\n`);
console.log('| N | median ms | min–max ms |');
console.log('|---|---|---|');
for (const n of [2, 4, 6]) {
  const times = [];
  for (let i = 0; i < RUNS; i++) times.push(await page.evaluate((n) => meshTime(n), n));
  console.log(`| ${n} | ${median(times).toFixed(0)} | ${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} |`);
}
console.log('\n(Comparisons with other libraries, across browser contexts and a real broker: npm run bench.)');
await browser.close();
await server.close();
