#!/usr/bin/env node
// `npm run bench`: Peerix beside Trystero (MQTT), PeerJS (PeerServer) and
// simple-peer (a WebSocket relay) in ONE run: the same Chromium, the same
// machine, every server on 127.0.0.1 inside the network namespace that
// scripts/netns.mjs makes. Every browser↔server WebSocket goes through a
// counting proxy (bench/lib/servers.mjs, run by lib/server-host.mjs), so signaling is counted the same
// way for all four. Prints a Markdown table and writes bench/results/latest.{md,svg,json}.
// A benchmark, not a test: targets are printed beside the figures, never asserted.
//
// Environment: BENCH_RUNS (mesh runs, default 5), BENCH_TPUT_RUNS (default 3),
// BENCH_CPU_SECONDS (default 30), BENCH_CPU_LIBS (default peerix,peerjs,simple-peer),
// BENCH_ONLY (comma list of sections: mesh,video,trace,signaling,throughput,sweep,size,cpu; sweep only when named),
// BENCH_WINDOWS (the sweep's send windows, high:low, e.g. 4M:1M,1M:256K),
// BENCH_TRACE_RUNS (runs per traced join, default 3), BENCH_TRACES (which traces: 2,2v,6; default all),
// BENCH_BASE (a git ref: Peerix at that commit runs beside this tree as `peerix-base`),
// BENCH_SLOW_DUMP (ms: a mesh run slower than this writes its pages' steps and debug lines to bench/results/slow/),
// BENCH_MQTT_VIA (tcp: proxy → Mosquitto's plain listener, the default; ws: → its WebSocket listener),
// BENCH_BROWSER (chromium, the default; firefox: Debian's Firefox ESR over WebDriver BiDi, sections mesh, video, trace, signaling, throughput),
// BENCH_PROFILE (1: every mesh run writes a CPU profile per page, from join to mesh, to bench/results/slow/; Chromium only).
import { createServer } from 'node:http';
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join as joinPath } from 'node:path';
import { execSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, chromiumArgs, requireBrowser } from '../test/browsers.mjs';
import { startServerHost } from './lib/server-host.mjs';
import { ROOT, buildPages, measureSizes } from './lib/build.mjs';
import { renderMarkdown, renderSvg } from './lib/report.mjs';
import { analyseRun, summariseRuns } from './lib/trace.mjs';
import { launchFirefox, openPeerPage, waitInPage } from '../test/e2e/harness.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SLOW_DUMP = Number(process.env.BENCH_SLOW_DUMP ?? 0);
const PROFILE = process.env.BENCH_PROFILE === '1';
const TPUT_RUNS = Number(process.env.BENCH_TPUT_RUNS ?? 3);
const CPU_SECONDS = Number(process.env.BENCH_CPU_SECONDS ?? 30);
const CPU_LIBS = (process.env.BENCH_CPU_LIBS ?? 'peerix,peerjs,simple-peer').split(',');
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const MQTT_VIA = process.env.BENCH_MQTT_VIA ?? 'tcp';
const FIREFOX = (process.env.BENCH_BROWSER ?? 'chromium') === 'firefox';
if (!FIREFOX && process.env.BENCH_BROWSER && process.env.BENCH_BROWSER !== 'chromium') throw new Error(`BENCH_BROWSER: chromium or firefox, not ${process.env.BENCH_BROWSER}`);
const TRACE_RUNS = Number(process.env.BENCH_TRACE_RUNS ?? 3);
const RAW_WINDOW = (process.env.BENCH_RAW_WINDOW ?? '1048576,262144').split(',').map(Number);
const BASE = process.env.BENCH_BASE;
const LIBS = ['peerix', ...(BASE ? ['peerix-base'] : []), 'trystero', 'peerjs', 'simple-peer']
  .filter((l) => l === 'peerix-base' || !process.env.BENCH_LIBS || process.env.BENCH_LIBS.split(',').includes(l));
const MESH_SIZES = (process.env.BENCH_MESH ?? '2,4,6').split(',').map(Number);
const SIGNALING = [[2, 'in turn'], [2, 'at once'], [4, 'in turn'], [8, 'in turn'], [8, 'at once']];
const TOTAL = 32 * 1024 * 1024;
const WARMUP = 4 * 1024 * 1024;
const started = Date.now();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s]`, ...a);
// Firefox runs the sections that only drive pages: sizes need no browser, and CPU reads Chromium's processes.
const FIREFOX_SECTIONS = new Set(['mesh', 'video', 'trace', 'signaling', 'throughput']);
const wants = (section) => (ONLY ? ONLY.has(section) : section !== 'sweep') && (!FIREFOX || FIREFOX_SECTIONS.has(section));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const summary = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs.length, values: xs });
const errorText = (error) => String(error?.message ?? error).split('\n')[0].slice(0, 140);

/** Rejects after `ms` with "timeout: what". */
function within(ms, promise, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timeout after ${ms / 1000} s: ${what}`)), ms); })])
    .finally(() => clearTimeout(timer));
}

// ─────────────────────────── servers and cleanup ───────────────────────────
const cleanups = [];
let cleaning = false;
async function cleanup() {
  if (cleaning) return;
  cleaning = true;
  for (const fn of cleanups.reverse()) {
    try { await within(5000, Promise.resolve().then(fn), 'cleanup'); } catch (error) { log('cleanup:', errorText(error)); }
  }
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { cleanup().finally(() => process.exit(130)); });
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (error) => {
    console.error(`bench: ${event}:`, error);
    cleanup().finally(() => process.exit(1));
  });
}

if (BASE) {
  // Peerix at BENCH_BASE, side by side with this tree (page `peerix-base`).
  const dir = joinPath(ROOT, 'node_modules/.peerix-base');
  execSync(`rm -rf '${dir}' && mkdir -p '${dir}' && git archive '${BASE.replace(/'/g, '')}' src | tar -x -C '${dir}'`, { cwd: ROOT });
  log(`peerix-base: src at ${execSync(`git rev-parse --short '${BASE.replace(/'/g, '')}'`, { cwd: ROOT }).toString().trim()}`);
}
const pages = await buildPages(['raw', ...LIBS]);
// Servers in a process of their own (bench/lib/server-host.mjs): this one's event loop stalls while Playwright opens pages.
const servers = await startServerHost({ mqttVia: MQTT_VIA });
cleanups.push(() => servers.stop());
const proxyOf = { peerix: 'mqtt', 'peerix-base': 'mqtt', trystero: 'mqtt', peerjs: 'peerjs', 'simple-peer': 'relay' };
const urls = servers.urls;
if (!servers.raised) log('servers at normal priority (not root): hop times include CPU waits behind the browsers');

const http = createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const bundle = url.pathname.match(/^\/__bench\/([\w-]+)\.js$/)?.[1];
  if (bundle && pages[bundle]) return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(pages[bundle]);
  if (url.pathname === '/bench/pages/index.html') return void res.writeHead(200, { 'content-type': 'text/html' }).end(readFileSync(joinPath(ROOT, 'bench/pages/index.html')));
  res.writeHead(404).end();
});
await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
cleanups.push(() => new Promise((resolve) => { http.closeAllConnections(); http.close(() => resolve()); }));
const base = `http://127.0.0.1:${http.address().port}`;

if (!FIREFOX) requireBrowser(CHROMIUM_PATH, 'chromium'); // launchFirefox() checks its own
const launch = () => (FIREFOX ? launchFirefox() : chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: chromiumArgs }));
let browser = await launch();
cleanups.push(() => browser.close());
const browserVersion = `${FIREFOX ? 'Firefox' : 'Chromium'} ${await browser.version()}`;

async function ensureBrowser() {
  if (browser.isConnected?.() ?? browser.connected) return;
  log('browser gone: launching it again');
  browser = await launch();
}

/** n pages of `lib`, one browser context each. */
async function openPages(lib, n, { debug = process.env.BENCH_DEBUG } = {}) {
  await ensureBrowser();
  const contexts = [];
  const close = () => Promise.all(contexts.map((c) => within(5000, c.close(), 'context close').catch(() => {})));
  try {
    const list = await Promise.all(Array.from({ length: n }, async (_, i) => {
      const url = `${base}/bench/pages/index.html?lib=${lib}${debug ? `&debug=${encodeURIComponent(debug)}` : ''}`;
      let page;
      if (FIREFOX) {
        // A window per page (a background tab is throttled), fake media by preference (test/browsers.mjs).
        page = await openPeerPage(browser, url, { name: `${lib} ${i}` });
        contexts.push({ close: page.peerixClose });
      } else {
        const context = await browser.newContext({ permissions: ['camera'] });
        contexts.push(context);
        page = await context.newPage();
        await page.goto(url);
      }
      page.on('console', (m) => { if (process.env.BENCH_CONSOLE) console.error(`[${lib} ${i}] ${m.type()}: ${m.text()}`); });
      await waitInPage(page, () => window.benchReady || window.benchError, undefined, { timeout: 15000, message: 'the bench page' });
      const loadError = await page.evaluate(() => window.benchError);
      if (loadError) throw new Error(`page did not load: ${loadError}`);
      return page;
    }));
    return { pages: list, close };
  } catch (error) {
    await close();
    throw error;
  }
}

const status = (page) => page.evaluate(() => window.bench.status());
const join = (page, options) => within(20000, page.evaluate((o) => window.bench.join(o), options), 'join');
const room = () => `r${Math.random().toString(36).slice(2, 10)}`;

/** Polls every page until `done(statuses)` or a page reports an error. */
async function until(list, done, ms, what) {
  const start = Date.now();
  for (;;) {
    const statuses = await Promise.all(list.map(status));
    const failed = statuses.find((s) => s.error);
    if (failed) throw new Error(failed.error);
    if (done(statuses)) return statuses;
    if (Date.now() - start > ms) {
      throw new Error(`timeout after ${ms / 1000} s: ${what} (open channels per page: ${statuses.map((s) => s.openCount).join(',')})`);
    }
    await sleep(25);
  }
}
const meshDone = (n) => (statuses) => statuses.every((s) => s.t1 && s.openCount >= n - 1);

/** Runs `fn` and turns a failure into `{ failed: reason }`. */
async function attempt(label, fn) {
  try {
    return await fn();
  } catch (error) {
    log(`${label}: failed: ${errorText(error)}`);
    return { failed: errorText(error) };
  }
}

const results = {
  date: new Date().toISOString(),
  browser: browserVersion,
  machine: { nproc: cpus().length, cpu: cpus()[0]?.model ?? '?', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, netns: process.env.PEERIX_NETNS === '1' },
  settings: { base: BASE, runs: RUNS, throughputRuns: TPUT_RUNS, cpuSeconds: CPU_SECONDS, mqttVia: MQTT_VIA, rawWindow: RAW_WINDOW, serversRaised: servers.raised },
  mesh: {}, video: {}, trace: {}, sweep: null, signaling: {}, idle: {}, throughput: {}, sizes: [], cpu: {},
};

// ─────────────────────────── time to full mesh ───────────────────────────
async function meshRun(lib, n, { video = false } = {}) {
  const { pages: list, close } = await openPages(lib, n);
  try {
    const name = room();
    const profilers = PROFILE && !FIREFOX ? await Promise.all(list.map(startProfiler)) : [];
    await Promise.all(list.map((p, i) => join(p, { room: name, n, index: i, urls, video })));
    const statuses = await until(list, video
      ? (s) => s.every((x) => Object.keys(x.firstFrame).length >= n - 1)
      : meshDone(n), 30000, video ? 'first remote video frame' : 'full mesh');
    const t0 = Math.min(...statuses.map((s) => s.t0));
    const t1 = Math.max(...statuses.map((s) => (video ? Math.max(...Object.values(s.firstFrame)) : s.t1)));
    if (SLOW_DUMP && t1 - t0 > SLOW_DUMP) await dumpSlowRun(lib, n, list, t0, t1);
    if (profilers.length) await saveProfiles(lib, n, profilers, statuses, t0);
    return t1 - t0;
  } finally {
    await list.map((p) => p.evaluate(() => window.bench.leave()).catch(() => {})).reduce((a, b) => a.then(() => b), Promise.resolve());
    await close();
  }
}

/** BENCH_PROFILE: a sampling CPU profile of one page (Chrome DevTools Protocol), started before its join. */
async function startProfiler(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return cdp;
}

/** Writes each page's profile (open in DevTools, or `node bench/lib/profile-summary.mjs FILE`), with the run's clock. */
async function saveProfiles(lib, n, profilers, statuses, t0) {
  const dir = joinPath(ROOT, 'bench/results/slow');
  mkdirSync(dir, { recursive: true });
  const stamp = Date.now();
  await Promise.all(profilers.map(async (cdp, i) => {
    const { profile } = await cdp.send('Profiler.stop');
    await cdp.detach();
    const file = joinPath(dir, `${lib}-n${n}-${stamp}-page${i}.cpuprofile`);
    writeFileSync(file, JSON.stringify({ ...profile, peerixBench: { t0, pageT0: statuses[i].t0, t1: statuses[i].t1 } }));
  }));
  log(`profiles of ${profilers.length} pages written to ${dir}/${lib}-n${n}-${stamp}-page*.cpuprofile`);
}

/** A run slower than BENCH_SLOW_DUMP ms: every page's steps and debug lines (BENCH_DEBUG) go to bench/results/slow/. */
async function dumpSlowRun(lib, n, list, t0, t1) {
  const pages = await Promise.all(list.map(async (p) => ({ status: await status(p), steps: await p.evaluate(() => window.bench.trace()), debug: await p.evaluate(() => window.bench.debugLines?.() ?? []) })));
  const dir = joinPath(ROOT, 'bench/results/slow');
  mkdirSync(dir, { recursive: true });
  const file = joinPath(dir, `${lib}-n${n}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify({ lib, n, t0, ms: Math.round(t1 - t0), pages }, null, 1));
  log(`slow run (${Math.round(t1 - t0)} ms) written to ${file}`);
}

/**
 * `runs` fresh runs of every library in `libs`, interleaved (run 1 of each, then run 2 …) so
 * that the machine's load drifting over minutes does not favour whichever library runs
 * first. A failed run is counted and reported, the others still give figures.
 */
async function measureInterleaved(libs, n, runs, options) {
  const times = Object.fromEntries(libs.map((lib) => [lib, []]));
  const failures = Object.fromEntries(libs.map((lib) => [lib, []]));
  for (let i = 0; i < runs; i++) {
    for (const lib of libs) {
      try {
        times[lib].push(await within(60000, meshRun(lib, n, options), `${lib} N=${n}`));
      } catch (error) {
        failures[lib].push(errorText(error));
        log(`  run ${i + 1} of ${lib} N=${n}${options?.video ? ' video' : ''} failed: ${errorText(error)}`);
      }
    }
  }
  return Object.fromEntries(libs.map((lib) => {
    if (!times[lib].length) {
      log(`mesh ${lib} N=${n}: failed: all ${runs} runs failed`);
      return [lib, { failed: `all ${runs} runs failed: ${failures[lib][0]}` }];
    }
    return [lib, { ...summary(times[lib]), failures: failures[lib] }];
  }));
}

if (wants('mesh')) {
  for (const n of MESH_SIZES) {
    log(`mesh: N=${n} × ${RUNS}, ${LIBS.join(', ')} interleaved`);
    const byLib = await measureInterleaved(LIBS, n, RUNS);
    for (const lib of LIBS) (results.mesh[lib] ??= {})[n] = byLib[lib];
  }
}
if (wants('video')) {
  log(`first video frame: × ${RUNS}, ${LIBS.join(', ')} interleaved`);
  results.video = await measureInterleaved(LIBS, 2, RUNS, { video: true });
}

// ─────────────────────────── per-step trace of one join ───────────────────────────
// Where the time to mesh goes, step by step, for every library alike (bench/pages/trace.js).
async function traceRun(lib, n, video) {
  // Peerix's debug lines (publish, receive, connection state) become steps too.
  const { pages: list, close } = await openPages(lib, n, { debug: 'peerix:*' });
  try {
    const name = room();
    await Promise.all(list.map((p, i) => join(p, { room: name, n, index: i, urls, video })));
    await until(list, video ? (s) => s.every((x) => Object.keys(x.firstFrame).length >= n - 1) : meshDone(n), 30000, 'traced mesh');
    return analyseRun(await Promise.all(list.map(async (p) => ({ status: await status(p), steps: await p.evaluate(() => window.bench.trace()) }))));
  } finally {
    await list.map((p) => p.evaluate(() => window.bench.leave()).catch(() => {})).reduce((a, b) => a.then(() => b), Promise.resolve());
    await close();
  }
}

const TRACES = [['N = 2, data channel', 2, false], ['N = 2, first video frame', 2, true], ['N = 6, data channels', 6, false]]
  .filter(([, n, video]) => !process.env.BENCH_TRACES || process.env.BENCH_TRACES.split(',').includes(`${n}${video ? 'v' : ''}`));
if (wants('trace')) {
  for (const [title, n, video] of TRACES) {
    const byLib = {};
    for (const lib of LIBS.filter((l) => l !== 'trystero')) {
      log(`trace: ${lib} ${title} × ${TRACE_RUNS}`);
      byLib[lib] = await attempt(`trace ${lib} ${title}`, async () => {
        const runs = [];
        for (let i = 0; i < TRACE_RUNS; i++) runs.push(await within(60000, traceRun(lib, n, video), `trace ${lib}`));
        return summariseRuns(runs);
      });
    }
    results.trace[`${title} (median of ${TRACE_RUNS})`] = byLib;
  }
}

// ─────────────────────────── signaling at the broker ───────────────────────────
async function signalingRun(lib, n, mode, idleSeconds) {
  const proxy = servers.proxy(proxyOf[lib]);
  const { pages: list, close } = await openPages(lib, n);
  try {
    const name = room();
    await proxy.reset();
    if (mode === 'at once') {
      await Promise.all(list.map((p, i) => join(p, { room: name, n, index: i, urls })));
    } else {
      for (const [i, page] of list.entries()) {
        await join(page, { room: name, n, index: i, urls });
        const first = list.slice(0, i + 1);
        await until(first, (s) => s[i].joinedAt && s.every((x) => x.openCount >= i), 30000, `mesh of ${i + 1}`);
      }
    }
    await until(list, meshDone(n), 30000, 'full mesh');
    await sleep(1000); // late candidates and acknowledgements
    const connect = await proxy.snapshot();
    let idle = null;
    if (idleSeconds) {
      await sleep(2000);
      await proxy.reset();
      await sleep(idleSeconds * 1000);
      idle = await proxy.snapshot();
    }
    return { ...connect, idle };
  } finally {
    for (const p of list) await p.evaluate(() => window.bench.leave()).catch(() => {});
    await close();
  }
}

if (wants('signaling')) {
  for (const lib of LIBS) {
    results.signaling[lib] = {};
    for (const [n, mode] of SIGNALING) {
      log(`signaling: ${lib} N=${n} ${mode}`);
      const idleSeconds = n === 4 ? 10 : 0;
      const r = await attempt(`signaling ${lib} N=${n} ${mode}`, () => within(120000, signalingRun(lib, n, mode, idleSeconds), 'signaling'));
      if (r.idle) { results.idle[lib] = { n, ...r.idle }; delete r.idle; }
      else if (n === 4 && r.failed) results.idle[lib] = r;
      results.signaling[lib][`${n} ${mode}`] = r;
    }
  }
}

// ─────────────────────────── data channel throughput ───────────────────────────
async function connectPair(lib, extra = {}) {
  const session = await openPages(lib, 2);
  const [a, b] = session.pages;
  try {
    if (lib === 'raw') {
      await Promise.all(session.pages.map((p) => join(p, { n: 2, urls, rawWindow: RAW_WINDOW })));
      const offer = await a.evaluate(() => window.raw.offer());
      const answer = await b.evaluate((o) => window.raw.answer(o), offer);
      await a.evaluate((x) => window.raw.accept(x), answer);
    } else {
      const name = room();
      await Promise.all(session.pages.map((p, i) => join(p, { room: name, n: 2, index: i, urls, ...extra })));
    }
    await until(session.pages, meshDone(2), 30000, 'data channel');
    await sleep(300);
    return session;
  } catch (error) {
    await session.close();
    throw error;
  }
}

async function throughputRuns(lib, size, extra) {
  const session = await connectPair(lib, extra);
  const [sender, receiver] = session.pages;
  try {
    const rates = [];
    // Run 0 warms up (a first transfer was often several times slower here); not counted.
    for (let i = 0; i <= TPUT_RUNS; i++) {
      const total = i === 0 ? WARMUP : TOTAL;
      await receiver.evaluate((bytes) => window.bench.expect(bytes), total);
      const txStart = await within(120000, sender.evaluate((o) => window.bench.sendBulk(o), { size, count: total / size }), 'send');
      const [s] = await until([receiver], (x) => x[0].rxDone, 120000, `${total} bytes received`);
      const sendError = (await status(sender)).error;
      if (sendError) throw new Error(sendError);
      if (i > 0) rates.push(TOTAL / ((s.rxDone - txStart) / 1000) / 1e6);
      await sleep(300);
    }
    return summary(rates);
  } finally {
    for (const p of session.pages) await p.evaluate(() => window.bench.leave()).catch(() => {});
    await session.close();
  }
}

if (wants('throughput')) {
  for (const size of [16384, 65536]) {
    for (const lib of ['raw', ...LIBS]) {
      log(`throughput: ${lib} ${size / 1024} KiB × ${TPUT_RUNS}`);
      (results.throughput[lib] ??= {})[size] = await attempt(`throughput ${lib} ${size}`, () => within(600000, throughputRuns(lib, size), 'throughput'));
    }
  }
}

// ─────────────────────────── send window sweep ───────────────────────────
// Peerix's send window (high mark : low mark = bufferedAmountLowThreshold) against a raw
// channel, 64 KiB messages with onProgress: the figures that settle src/send-window.ts.
const KIB = (text) => Math.round(parseFloat(text) * (/m/i.test(text) ? 1024 * 1024 : /k/i.test(text) ? 1024 : 1));
const WINDOWS = (process.env.BENCH_WINDOWS ?? '512K:128K,1M:256K,2M:512K,4M:1M,8M:2M,16M:4M').split(',').map((w) => {
  const [high, low] = w.split(':');
  return { name: w, high: KIB(high), low: KIB(low) };
});
if (wants('sweep')) {
  results.sweep = { size: 65536, raw: null, windows: {} };
  const rawRates = [];
  for (const [i, window] of WINDOWS.entries()) {
    // A raw run between the window runs, so drift on this shared machine shows in both.
    if (i % 2 === 0) {
      log('sweep: raw 64 KiB');
      const raw = await attempt('sweep raw', () => within(600000, throughputRuns('raw', 65536), 'raw'));
      if (!raw.failed) rawRates.push(...raw.values);
    }
    log(`sweep: peerix window ${window.name}`);
    results.sweep.windows[window.name] = await attempt(`sweep ${window.name}`, () => within(600000, throughputRuns('peerix', 65536, { sendWindow: window }), 'sweep'));
  }
  results.sweep.raw = rawRates.length ? summary(rawRates) : { failed: 'no raw run' };
}

// ─────────────────────────── bundle size ───────────────────────────
if (wants('size')) {
  log('sizes');
  results.sizes = await attempt('sizes', () => measureSizes());
}

// ─────────────────────────── CPU of a 6-page video mesh ───────────────────────────
const CLK_TCK = 100;
/** utime+stime (s) of every Chromium process below this Node process. */
function chromiumCpuSeconds() {
  const procs = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      procs.set(Number(entry), { comm, ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / CLK_TCK });
    } catch {}
  }
  const below = (pid) => { for (let p = procs.get(pid)?.ppid; p; p = procs.get(p)?.ppid) if (p === process.pid) return true; return false; };
  let total = 0;
  let count = 0;
  for (const [pid, p] of procs) if (/chrom/i.test(p.comm) && below(pid)) { total += p.cpu; count++; }
  return { seconds: total, processes: count };
}

async function cpuRun(lib, n = 6) {
  const { pages: list, close } = await openPages(lib, n);
  try {
    const name = room();
    await Promise.all(list.map((p, i) => join(p, { room: name, n, index: i, urls, video: true })));
    await until(list, meshDone(n), 30000, 'data mesh');
    // Every page should show a first frame from each of the others; when some
    // never arrive, CPU is still measured and the missing streams are reported.
    let streams = 0;
    try {
      await until(list, (s) => s.every((x) => Object.keys(x.firstFrame).length >= n - 1), 45000, 'every remote video');
      streams = n * (n - 1);
    } catch {
      streams = (await Promise.all(list.map(status))).reduce((a, x) => a + Object.keys(x.firstFrame).length, 0);
      log(`  cpu ${lib}: only ${streams} of ${n * (n - 1)} remote videos showed a frame within 45 s`);
    }
    await sleep(3000);
    const frames = async () => (await Promise.all(list.map((p) => p.evaluate(() => window.bench.framesDecoded())))).reduce((a, b) => a + b, 0);
    const f0 = await frames();
    const c0 = chromiumCpuSeconds();
    const w0 = Date.now();
    await sleep(CPU_SECONDS * 1000);
    const c1 = chromiumCpuSeconds();
    const wall = (Date.now() - w0) / 1000;
    const f1 = await frames();
    const cpu = c1.seconds - c0.seconds;
    return { streams, expectedStreams: n * (n - 1), cpuSeconds: cpu, wallSeconds: wall, cores: cpu / wall, processes: c1.processes, framesDecoded: f1 - f0, fps: (f1 - f0) / wall, cpuMsPerFrame: (cpu * 1000) / Math.max(1, f1 - f0) };
  } finally {
    for (const p of list) await p.evaluate(() => window.bench.leave()).catch(() => {});
    await close();
  }
}

if (wants('cpu')) {
  for (const lib of CPU_LIBS) {
    log(`cpu: ${lib} 6 pages with video, ${CPU_SECONDS} s`);
    results.cpu[lib] = await attempt(`cpu ${lib}`, () => within(CPU_SECONDS * 1000 + 120000, cpuRun(lib), 'cpu'));
    await sleep(2000);
  }
}

// ─────────────────────────── report ───────────────────────────
results.durationSeconds = Math.round((Date.now() - started) / 1000);
await cleanup();
const md = renderMarkdown(results);
console.log(md);
// A partial run (BENCH_ONLY) or a side-by-side one (BENCH_BASE) does not replace the published results.
if (!ONLY && !BASE) {
  const out = joinPath(ROOT, 'bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(joinPath(out, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(joinPath(out, 'latest.md'), md);
  writeFileSync(joinPath(out, 'latest.svg'), renderSvg(results));
  log(`wrote bench/results/latest.{md,svg,json} in ${results.durationSeconds} s`);
}
process.exit(0);
