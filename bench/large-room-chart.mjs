#!/usr/bin/env node
// Chart of bench/large-room.mjs results (video and --data runs) as one SVG.
//
//   node bench/large-room-chart.mjs [results.json ...] [--out bench/results/large-room.svg]
//
// Without files: every bench/results/large-room*.json but the quick one that
// `npm run bench` rewrites (large-room-quick.json).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderBars } from './lib/chart.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const outAt = argv.indexOf('--out');
const OUT = outAt >= 0 ? argv[outAt + 1] : join(ROOT, 'bench/results/large-room.svg');
let files = argv.filter((a, i) => !a.startsWith('--') && (outAt < 0 || i !== outAt + 1));
if (!files.length) {
  const dir = join(ROOT, 'bench/results');
  files = readdirSync(dir).filter((f) => /^large-room.*\.json$/.test(f) && !f.includes('quick')).map((f) => join(dir, f));
}

const runs = [];
const dates = new Set();
for (const file of files) {
  const res = JSON.parse(readFileSync(file, 'utf8'));
  dates.add(res.date.slice(0, 10));
  for (const r of res.results) runs.push({ mode: 'video', ...r, height: res.height, window: res.window });
}

const series = (r) => (r.mode === 'data' ? `data only, ${r.rate} msg/s per pair` : `video, budget ${r.budget ? `${r.budget / 1e6} Mbit/s` : 'off'}`);
const byPages = (pick, only = () => true) => {
  const groups = new Map();
  for (const r of runs.filter(only).sort((a, b) => a.pages - b.pages)) {
    const label = `${r.pages} pages`;
    if (!groups.has(label)) groups.set(label, { label, bars: [] });
    groups.get(label).bars.push({ name: series(r), ...(r.failed ? { value: null, note: r.failed } : pick(r)) });
  }
  return [...groups.values()];
};
const video = (r) => r.mode !== 'data';
const data = (r) => r.mode === 'data';

const panels = [
  { title: 'Time from the first join to a full mesh (pages join 300 ms apart) — lower is better', unit: 's', fmt: (v) => v.toFixed(1),
    groups: byPages((r) => ({ value: r.meshMs == null ? null : r.meshMs / 1000, note: r.meshMs == null ? 'no full mesh' : undefined })) },
  { title: 'Browser CPU (every Chromium process) while measuring, % of the machine', unit: '%', fmt: (v) => `${Math.round(v)}`,
    groups: byPages((r) => ({ value: r.cpuPercentOfMachine })) },
];
if (runs.some(video)) {
  panels.push({ title: 'Video frames decoded per second, all pages together — higher is better', unit: 'frames/s', fmt: (v) => `${Math.round(v)}`,
    groups: byPages((r) => ({ value: r.decodedFps }), video) });
}
if (runs.some(data)) {
  panels.push({ title: 'Data channel messages delivered per second, all pages together (upper label: messages lost)', unit: 'msg/s', fmt: (v) => `${Math.round(v)}`,
    groups: byPages((r) => ({ value: r.deliveredPerSecond, note: `${r.lost} lost` }), data) });
}

const svg = renderBars({ title: `Peerix large room, one headless Chromium, BroadcastChannel signaling — ${[...dates].sort().join(', ')}`, panels });
writeFileSync(OUT, svg);
console.log(`written ${OUT}`);
