import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, chromiumArgs } from '../test/browsers.mjs';
import { startMosquitto, startCountingProxy } from './lib/servers.mjs';
import { buildPages } from './lib/build.mjs';
const pages = await buildPages(['peerix']);
const m = await startMosquitto();
const p = await startCountingProxy({ target: { tcp: m.port }, protocol: 'mqtt' });
const http = createServer((req, res) => {
  if (req.url.startsWith('/__bench/peerix.js')) return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(pages.peerix);
  res.writeHead(200, { 'content-type': 'text/html' }).end(readFileSync('bench/pages/index.html'));
});
await new Promise((r) => http.listen(0, '127.0.0.1', r));
const b = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: chromiumArgs });
const list = [];
for (let i = 0; i < 2; i++) { const pg = await (await b.newContext()).newPage(); await pg.goto(`http://127.0.0.1:${http.address().port}/bench/pages/index.html?lib=peerix`); await pg.waitForFunction(() => window.benchReady); list.push(pg); }
const cdp = await list[0].context().newCDPSession(list[0]);
await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 200 }); await cdp.send('Profiler.start');
const room = 'r' + Math.random().toString(36).slice(2);
await Promise.all(list.map((pg, i) => pg.evaluate((o) => window.bench.join(o), { room, n: 2, index: i, urls: { mqtt: p.url } })));
await list[0].waitForFunction(() => window.bench.status().openCount >= 1, null, { timeout: 30000 });
const { profile } = await cdp.send('Profiler.stop');
const self = new Map(); const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = profile.timeDeltas; const counts = new Map();
profile.samples.forEach((id, i) => counts.set(id, (counts.get(id) ?? 0) + (dt[i] ?? 0)));
for (const [id, us] of counts) { const n = byId.get(id); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + us); }
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, us]) => `${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`).join('\n'));
// Inclusive time of top-level functions named in the bundle
const parent = new Map(); for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map();
for (const [id, us] of counts) { const seen = new Set(); let cur = id; while (cur) { const n = byId.get(cur); const k = `${n.callFrame.functionName || '(anon)'}:${n.callFrame.lineNumber}`; if (!seen.has(k)) { incl.set(k, (incl.get(k) ?? 0) + us); seen.add(k); } cur = parent.get(cur); } }
console.log('--- inclusive'); console.log([...incl].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, us]) => `${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`).join('\n'));
await b.close(); await p.stop(); await m.stop(); http.close(); process.exit(0);
