#!/usr/bin/env node
// How large a video room holds on this machine (issue #14): N pages in one
// headless Chromium (one browser context, so the pages find each other over
// the BroadcastChannel driver: no broker), each with the fake camera (and the
// fake microphone with --audio), join one room one after another.
//
// It prints, per run: the time from the first join until every page has a
// connected connection to every other (time to mesh), connections rebuilt after
// the mesh formed, then over a measuring window: the video bitrate each page
// sends (all connections, from RemotePeer.stats()), frames decoded and encoded
// per second, and the CPU the browser used (all its processes, from /proc) per
// decoded frame. A figure for the uplink budget on (default 3 Mbit/s) and off.
//
// With --data there is no camera: every page opens one data channel ("bench")
// and, over the measuring window, sends a small message to every other page
// --rate times a second; it prints the time to a full mesh of open channels,
// connections rebuilt, messages delivered per second (all pages) and lost
// (sent minus received, counted per pair once nothing more arrives), and the CPU.
//
//   node bench/large-room.mjs --pages 4,6 --budget 3000000,0 --audio --window 10 --settle 8
//   node bench/large-room.mjs --data --pages 16,24 --rate 10 --window 10 --settle 3
//   options: --pages 4,6,8  --budget 3000000,0  --audio (camera + microphone)
//            --window 10 (s measured)  --settle 8 (s after the mesh, before measuring)
//            --height 480 (camera height)  --out bench/results/large-room.json
//            --data (data channel only)  --rate 2,10 (messages/s each page sends to each other; a run per rate)
//            --size 200 (bytes per message)  --out none (print only)
//            --hide (video: after the window, page 0 asks every sender for no video, as
//            hidden tiles do, for 6 s, then for video again: the video and audio it receives
//            before and while hidden, when the last video byte came, when video came back)
//   BENCH_DEBUG='peerix:*' writes every page's debug lines (with seconds since the
//   page opened) to bench/results/slow/large-room-<pages>-<setting>.log: why a
//   connection was rebuilt (disposed: failed, vanished, timeout, replaced).
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, chromiumArgs, requireBrowser } from '../test/browsers.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]?.startsWith('--') ? 'true' : (all[i + 1] ?? 'true')]] : pairs), []));
const PAGES = (args.pages ?? '4,6').split(',').map(Number);
const BUDGETS = (args.budget ?? '3000000,0').split(',').map(Number);
const AUDIO = args.audio === 'true';
const WINDOW_S = Number(args.window ?? 10);
const SETTLE_S = Number(args.settle ?? 8);
const HEIGHT = Number(args.height ?? 480);
const DATA = args.data === 'true';
const RATES = (args.rate ?? '10').split(',').map(Number);
const SIZE = Number(args.size ?? 200);
const HIDE = args.hide === 'true';
const OUT = args.out ?? join(ROOT, DATA ? 'bench/results/large-room-data.json' : 'bench/results/large-room.json');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** page.evaluate that gives up after 60 s: a page stalled under the load fails its run instead of hanging the bench. */
const ask = (p, fn, arg) => {
  let timer;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`a page did not answer ${String(fn).replace(/\s+/g, ' ').slice(6, 40)} in 60 s`)), 60_000)));
  return Promise.race([p.evaluate(fn, arg), late]).finally(() => clearTimeout(timer));
};
const round = (x, digits = 1) => (Number.isFinite(x) ? +x.toFixed(digits) : null);

/**
 * Starts the pages one after another (300 ms apart, as people arrive), then waits up to
 * 120 s until every page counts all the others (`count` runs in the page).
 * Returns the ms from the first start until then, or null.
 */
async function joinOneByOne(pages, start, count) {
  const t0 = Date.now();
  for (const p of pages) {
    await ask(p, start);
    await sleep(300);
  }
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const counts = await Promise.all(pages.map((p) => ask(p, count)));
    if (counts.every((c) => c === pages.length - 1)) return Date.now() - t0;
    await sleep(200);
  }
  return null;
}

requireBrowser(CHROMIUM_PATH, 'chromium');

const engine = (
  await build({ entryPoints: [join(ROOT, 'src/index.ts')], bundle: true, format: 'esm', target: 'es2022', write: false, logLevel: 'error' })
).outputFiles[0].text;

const page = `<!doctype html><meta charset="utf-8"><title>peer</title><script type="module">
import { Peer, BroadcastChannelDriver } from '/peerix.js';
const q = new URLSearchParams(location.search);
const state = (window.bench = { connections: 0, created: 0, errors: [] });
window.start = async () => {
  const peer = new Peer({ driver: new BroadcastChannelDriver(), uplinkBudget: Number(q.get('budget')) });
  window.peer = peer;
  peer.on('connection:new', () => state.created++);
  peer.on('error', ({ error }) => state.errors.length < 20 && state.errors.push(error.code + ': ' + error.message));
  const stream = await navigator.mediaDevices.getUserMedia({ video: { height: Number(q.get('height')) }, audio: q.get('audio') === '1' });
  peer.share({ label: 'camera', stream });
  await peer.join({ room: q.get('room'), metadata: { name: q.get('name') } });
};
// Data only: one channel, a message to every other page RATE times a second
// while window.sending; counted per remote id on both sides.
const sent = {}, received = {};
let sending = false, timer = null;
window.startData = async () => {
  const peer = new Peer({ driver: new BroadcastChannelDriver() });
  window.peer = peer;
  peer.on('connection:new', () => state.created++);
  peer.on('error', ({ error }) => state.errors.length < 20 && state.errors.push(error.code + ': ' + error.message));
  peer.on('channel:message', ({ remote, label }) => {
    if (label === 'bench') received[remote.id] = (received[remote.id] ?? 0) + 1;
  });
  peer.open({ label: 'bench' });
  await peer.join({ room: q.get('room'), metadata: { name: q.get('name') } });
};
window.ready = () => [...(window.peer?.connections.values() ?? [])].filter((r) => r.state === 'connected' && r.channels.get('bench')?.readyState === 'open').length;
window.sendFor = (rate, size) => {
  const filler = 'x'.repeat(size);
  let seq = 0;
  sending = true;
  timer = setInterval(() => {
    if (!sending) return;
    seq++;
    for (const remote of window.peer.connections.values()) {
      if (remote.channels.get('bench')?.readyState !== 'open') continue;
      sent[remote.id] = (sent[remote.id] ?? 0) + 1;
      remote.send(seq + filler, { label: 'bench' }).catch((e) => state.errors.length < 20 && state.errors.push('send: ' + e.message));
    }
  }, 1000 / rate);
};
window.stopSending = () => ((sending = false), clearInterval(timer));
window.counts = () => ({ id: window.peer.id, sent, received, created: state.created, errors: state.errors });
// Hidden tiles: this page asks every sender for no video (as <peerix-remote-videos> does for
// hidden tiles), then for video again. Received bytes per sender, sampled every 100 ms.
window.hideAndShow = async () => {
  const pause = (ms) => new Promise((r) => setTimeout(r, ms));
  const remotes = [...window.peer.connections.values()].filter((r) => r.state === 'connected');
  const read = () => Promise.all(remotes.map((r) => r.stats().then((s) => ({ video: s.videoBytesReceived, audio: s.audioBytesReceived, at: performance.now() }))));
  const kbit = (a, b, kind) => Math.round(a.reduce((sum, x, i) => sum + (8 * (b[i][kind] - x[kind])) / (b[i].at - x.at), 0));
  const before0 = await read();
  await pause(2000);
  const before1 = await read();
  const hiddenAt = performance.now();
  for (const r of remotes) r.request('camera', { video: false });
  // when each sender's video last grew: after that, nothing but audio
  const lastVideo = remotes.map(() => hiddenAt);
  let prev = before1;
  let hidden0;
  while (performance.now() < hiddenAt + 6000) {
    await pause(100);
    const cur = await read();
    cur.forEach((c, i) => { if (c.video > prev[i].video) lastVideo[i] = c.at; });
    if (!hidden0 && performance.now() > hiddenAt + 4000) hidden0 = cur;
    prev = cur;
  }
  const hidden1 = prev;
  const shownAt = performance.now();
  for (const r of remotes) r.request('camera', { video: true });
  const firstVideo = remotes.map(() => null);
  while (firstVideo.includes(null) && performance.now() < shownAt + 10_000) {
    await pause(100);
    const cur = await read();
    cur.forEach((c, i) => { if (firstVideo[i] === null && c.video > prev[i].video) firstVideo[i] = c.at - shownAt; });
    prev = cur;
  }
  const after = await read();
  return {
    senders: remotes.length,
    videoKbitBefore: kbit(before0, before1, 'video'),
    audioKbitBefore: kbit(before0, before1, 'audio'),
    // the last 2 s of the 6 s hidden
    videoKbitHidden: kbit(hidden0, hidden1, 'video'),
    audioKbitHidden: kbit(hidden0, hidden1, 'audio'),
    videoStoppedMs: Math.round(Math.max(...lastVideo) - hiddenAt),
    // per sender: video kbit/s in the last 2 s hidden, ms from the request to its last video byte
    perSender: remotes.map((r, i) => ({ id: r.id.slice(0, 8),  videoKbitHidden: Math.round((8 * (hidden1[i].video - hidden0[i].video)) / (hidden1[i].at - hidden0[i].at)), lastVideoMs: Math.round(lastVideo[i] - hiddenAt), backMs: firstVideo[i] === null ? null : Math.round(firstVideo[i]), state: r.state, videoBytesAtEnd: after[i].video - hidden1[i].video })),
    videoBackMs: firstVideo.includes(null) ? null : Math.round(Math.max(...firstVideo)),
  };
};
window.connected = () => [...(window.peer?.connections.values() ?? [])].filter((r) => r.state === 'connected').length;
window.sample = async () => {
  let decoded = 0, encoded = 0, sendBitrate = 0, heights = [];
  for (const remote of window.peer.connections.values()) {
    const s = await remote.stats();
    for (const v of s.video) { sendBitrate += v.bitrate; if (v.frameHeight) heights.push(v.frameHeight); }
    (await remote.connection.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') decoded += r.framesDecoded ?? 0;
      if (r.type === 'outbound-rtp' && r.kind === 'video') encoded += r.framesEncoded ?? 0;
    });
  }
  return { decoded, encoded, sendBitrate, heights, created: state.created, errors: state.errors };
};
</script>`;

const server = createServer((req, res) => {
  if (req.url?.startsWith('/peerix.js')) {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end(engine);
  } else {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(page);
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

/** CPU seconds (user + system) used so far by every process descended from this one. */
function descendantsCpu() {
  const tick = 100; // USER_HZ on Linux
  const procs = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(pid), { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / tick });
    } catch {
      // gone meanwhile
    }
  }
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of procs) if (!mine.has(pid) && mine.has(p.ppid)) (mine.add(pid), (grew = true));
  }
  let total = 0;
  for (const pid of mine) if (pid !== process.pid) total += procs.get(pid)?.cpu ?? 0;
  return total;
}

const DEBUG = process.env.BENCH_DEBUG;
/** Debug lines of the current run's pages (BENCH_DEBUG), written by `writeDebug`. */
let debugLines = [];
function writeDebug(name) {
  if (!DEBUG) return;
  const dir = join(ROOT, 'bench/results/slow');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.log`), debugLines.join('\n') + '\n');
  console.log(`debug lines: bench/results/slow/${name}.log`);
  debugLines = [];
}

/** `n` pages in one browser context (so BroadcastChannel reaches them all), in one new room. */
async function openPages(browser, n, query) {
  const context = await browser.newContext();
  if (DEBUG) await context.addInitScript((patterns) => localStorage.setItem('debug', patterns), DEBUG);
  const room = `large-${Math.random().toString(36).slice(2)}`;
  const pages = [];
  const t0 = Date.now();
  for (let i = 0; i < n; i++) {
    const p = await context.newPage();
    if (DEBUG) p.on('console', (m) => debugLines.push(`${((Date.now() - t0) / 1000).toFixed(2)} p${i} ${m.text()}`));
    await p.goto(`${base}/?room=${room}&name=p${i}${query}`);
    await p.waitForFunction(() => typeof window.start === 'function');
    pages.push(p);
  }
  return pages;
}

/** Data-only run: mesh of open channels, then rate messages/s to each other page for WINDOW_S. */
async function runData(n, rate) {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: chromiumArgs });
  try {
    const pages = await openPages(browser, n, '');
    const meshMs = await joinOneByOne(pages, () => window.startData(), () => window.ready());
    await sleep(SETTLE_S * 1000);
    const cpu0 = descendantsCpu();
    const w0 = Date.now();
    await Promise.all(pages.map((p) => ask(p, ([r, s]) => window.sendFor(r, s), [rate, SIZE])));
    await sleep(WINDOW_S * 1000);
    await Promise.all(pages.map((p) => ask(p, () => window.stopSending())));
    const seconds = (Date.now() - w0) / 1000;
    const cpu = descendantsCpu() - cpu0;
    // drain: what is still queued or in flight arrives; over when nothing more came for 2 s (at most 30 s)
    const d0 = Date.now();
    let counts = [];
    for (let last = -1, still = 0; Date.now() - d0 < 30_000 && still < 4; await sleep(500)) {
      counts = await Promise.all(pages.map((p) => ask(p, () => window.counts())));
      const total = counts.reduce((s, c) => s + Object.values(c.received).reduce((a, b) => a + b, 0), 0);
      still = total === last ? still + 1 : 0;
      last = total;
    }
    const drainMs = Date.now() - d0;
    const connected = await Promise.all(pages.map((p) => ask(p, () => window.ready())));
    let sent = 0, received = 0;
    for (const from of counts) {
      for (const to of counts) {
        if (from === to) continue;
        sent += from.sent[to.id] ?? 0;
        received += Math.min(to.received[from.id] ?? 0, from.sent[to.id] ?? 0);
      }
    }
    return {
      mode: 'data',
      pages: n,
      rate: rate,
      size: SIZE,
      meshMs,
      rebuilds: counts.reduce((s, a) => s + Math.max(0, a.created - (n - 1)), 0),
      connectedAtEnd: connected.every((c) => c === n - 1),
      sent,
      delivered: received,
      lost: sent - received,
      askedPerSecond: n * (n - 1) * rate,
      sentPerSecond: round(sent / seconds, 0),
      // delivered in the window and the drain after it, over the window: the rate the room sustained
      deliveredPerSecond: round(received / seconds, 0),
      drainMs,
      cpuPercentOfMachine: round((100 * cpu) / seconds / cpus().length),
      cpuUsPerMessage: received ? round((1e6 * cpu) / received, 0) : null,
      errors: [...new Set(counts.flatMap((a) => a.errors))],
    };
  } finally {
    await browser.close();
  }
}

async function run(n, budget) {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: chromiumArgs });
  try {
    const pages = await openPages(browser, n, `&budget=${budget}&height=${HEIGHT}&audio=${AUDIO ? 1 : 0}`);
    const meshMs = await joinOneByOne(pages, () => window.start(), () => window.connected());
    await sleep(SETTLE_S * 1000);
    const before = await Promise.all(pages.map((p) => ask(p, () => window.sample())));
    const cpu0 = descendantsCpu();
    const w0 = Date.now();
    await sleep(WINDOW_S * 1000);
    const after = await Promise.all(pages.map((p) => ask(p, () => window.sample())));
    const cpu = descendantsCpu() - cpu0;
    const seconds = (Date.now() - w0) / 1000;
    const decoded = after.reduce((s, a, i) => s + a.decoded - before[i].decoded, 0);
    const encoded = after.reduce((s, a, i) => s + a.encoded - before[i].encoded, 0);
    const connected = await Promise.all(pages.map((p) => ask(p, () => window.connected())));
    const heights = after.flatMap((a) => a.heights);
    const hide = HIDE ? await ask(pages[0], () => window.hideAndShow()) : undefined;
    return {
      mode: 'video',
      pages: n,
      budget,
      audio: AUDIO,
      meshMs,
      // connection:new beyond one per other page: rebuilds
      rebuilds: after.reduce((s, a) => s + Math.max(0, a.created - (n - 1)), 0),
      connectedAtEnd: connected.every((c) => c === n - 1),
      sendKbitPerPage: round(after.reduce((s, a) => s + a.sendBitrate, 0) / n / 1000, 0),
      sentFrameHeights: [...new Set(heights)].sort((a, b) => a - b),
      decodedFps: round(decoded / seconds),
      encodedFps: round(encoded / seconds),
      cpuPercentOfMachine: round((100 * cpu) / seconds / cpus().length),
      cpuMsPerDecodedFrame: decoded ? round((1000 * cpu) / decoded, 2) : null,
      ...(hide ? { hide } : {}),
      errors: [...new Set(after.flatMap((a) => a.errors))],
    };
  } finally {
    await browser.close();
  }
}

/** One line a person reads: `npm run bench` prints it. */
function summary(r) {
  const head = `large room, ${r.pages} pages, ${r.mode === 'data' ? `data only, ${r.rate} msg/s per pair` : `video, budget ${r.budget ? `${r.budget / 1e6} Mbit/s` : 'off'}`}:`;
  if (r.failed) return `${head} failed: ${r.failed}`;
  const mesh = r.meshMs == null ? 'no full mesh in 120 s' : `mesh in ${(r.meshMs / 1000).toFixed(1)} s`;
  const flow = r.mode === 'data'
    ? `${r.deliveredPerSecond} msg/s delivered of ${r.askedPerSecond} asked, ${r.lost} lost`
    : `${r.sendKbitPerPage} kbit/s sent per page, ${r.decodedFps} frames/s decoded`;
  const line = `${head} ${mesh}, ${r.rebuilds} rebuilt, ${flow}, CPU ${r.cpuPercentOfMachine} % of ${cpus().length} cores`;
  const h = r.hide;
  if (!h) return line;
  const back = h.videoBackMs == null ? 'video not back in 10 s' : `video back after ${h.videoBackMs} ms`;
  return `${line}\n  tiles hidden on one page: video towards it ${h.videoKbitBefore} → ${h.videoKbitHidden} kbit/s (audio ${h.audioKbitBefore} → ${h.audioKbitHidden}) from ${h.senders} senders, last video byte ${h.videoStoppedMs} ms after the request; shown again: ${back}`;
}

const results = [];
for (const n of PAGES) {
  for (const setting of DATA ? RATES : BUDGETS) {
    let r;
    try {
      r = DATA ? await runData(n, setting) : await run(n, setting);
    } catch (e) {
      // a page or the browser gone under the load: a figure of its own, the other runs go on
      r = { mode: DATA ? 'data' : 'video', pages: n, ...(DATA ? { rate: setting } : { budget: setting }), failed: String(e.message ?? e).split('\n')[0] };
    }
    results.push(r);
    writeDebug(`large-room-${n}-${setting}`);
    console.log(JSON.stringify(r));
    console.log(summary(r));
  }
}
server.close();
if (OUT !== 'none') {
  const settings = DATA ? { mode: 'data', size: SIZE } : { mode: 'video', height: HEIGHT, audio: AUDIO };
  writeFileSync(OUT, JSON.stringify({ date: new Date().toISOString(), cores: cpus().length, window: WINDOW_S, settle: SETTLE_S, ...settings, results }, null, 2) + '\n');
  console.log(`written ${OUT}`);
}
