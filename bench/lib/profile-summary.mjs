#!/usr/bin/env node
// Reads a page profile written by `BENCH_PROFILE=1` (bench/compare.mjs) and prints where the
// page's main thread spent the join: self time per function, and a timeline of busy stretches
// (a stretch is named after the innermost frame of ours, the bench's or a library's).
// Usage: node bench/lib/profile-summary.mjs FILE.cpuprofile [--from MS] [--top N]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) throw new Error('usage: profile-summary.mjs FILE.cpuprofile [--top N]');
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : fallback; };
const TOP = option('--top', 25);

const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const label = (frame) => `${frame.functionName || '(anonymous)'} ${frame.url ? `${basename(frame.url.split('?')[0])}:${frame.lineNumber + 1}` : ''}`.trim();
const stackOf = (id) => { const stack = []; for (let n = id; n !== undefined; n = parent.get(n)) stack.push(nodes.get(n).callFrame); return stack; };
// The frame a busy stretch is named after: the innermost one with a script URL.
const owner = (stack) => {
  const top = stack[0];
  if (['(idle)', '(program)', '(garbage collector)', '(root)'].includes(top.functionName)) return top.functionName;
  const scripted = stack.find((frame) => frame.url);
  return scripted ? label(scripted) : label(top);
};

// Sample times: startTime plus the running sum of timeDeltas (µs).
let t = profile.startTime;
const samples = profile.samples.map((id, i) => { t += profile.timeDeltas[i]; return { id, t }; });
// The page's join starts at the first sample inside the bench's join().
const joinSample = samples.find((s) => stackOf(s.id).some((f) => f.functionName === 'join' && f.url.includes('__bench')));
const t0 = joinSample?.t ?? profile.startTime;
const ms = (us) => (us - t0) / 1000;

const self = new Map();
let busy = 0;
const timeline = [];
for (let i = 0; i < samples.length; i++) {
  const { id, t: at } = samples[i];
  if (at < t0) continue;
  const next = samples[i + 1]?.t ?? profile.endTime;
  const span = next - at;
  const stack = stackOf(id);
  const name = owner(stack);
  if (name !== '(idle)') busy += span;
  const key = label(stack[0]);
  self.set(key, (self.get(key) ?? 0) + span);
  const last = timeline.at(-1);
  if (last && last.name === name) last.end = next;
  else timeline.push({ name, start: at, end: next });
}

console.log(`${basename(file)}: ${((profile.endTime - t0) / 1000).toFixed(0)} ms from join, ${(busy / 1000).toFixed(0)} ms busy`);
console.log('\nself time (ms):');
for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${(us / 1000).toFixed(1).padStart(8)}  ${name}`);
console.log('\nbusy stretches ≥ 2 ms (start, length, innermost script frame):');
for (const stretch of timeline) {
  if (stretch.name === '(idle)' || stretch.end - stretch.start < 2000) continue;
  console.log(`${ms(stretch.start).toFixed(1).padStart(8)} ${((stretch.end - stretch.start) / 1000).toFixed(1).padStart(6)}  ${stretch.name}`);
}
