#!/usr/bin/env node
// `node scripts/size-by-module.mjs [dist/src | dist/development/src]`: where the
// engine core's bytes go (the bundle `npm run bench:size` measures: Peer, Memory
// and BroadcastChannel drivers, esbuild-minified, ES2022). Per module: its
// minified bytes (through the source map) and its gzip share, measured as the
// bundle's gzip size minus that of the bundle without the module's bytes
// (gzip shares overlap, so these are scaled to add up to the total).
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildIfNeeded } from './start.mjs';

buildIfNeeded({ log: () => {} });
const dir = process.argv[2] ?? 'dist/src';
const gz = (text) => gzipSync(text, { level: 9 }).length;
const contents = ['peer.js', 'errors.js', 'drivers/memory.js', 'drivers/broadcast-channel.js'].map((f) => `export * from './${dir}/${f}';`).join('\n');
const result = await build({
  stdin: { contents, resolveDir: process.cwd(), loader: 'js' },
  bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022',
  write: false, logLevel: 'silent', sourcemap: 'external', outfile: 'core.js',
});
const js = result.outputFiles.find((f) => f.path.endsWith('.js')).text;
const map = JSON.parse(result.outputFiles.find((f) => f.path.endsWith('.map')).text);

// The source index of every output character, from the map's VLQ segments.
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const owner = new Int32Array(js.length).fill(-1);
const mappings = map.mappings.split(';');
let source = 0;
let offset = 0;
for (const [index, line] of js.split('\n').entries()) {
  const marks = [];
  let column = 0;
  for (const segment of (mappings[index] ?? '').split(',').filter(Boolean)) {
    const values = [];
    let shift = 0;
    let value = 0;
    for (const ch of segment) {
      const digit = B64.indexOf(ch);
      value += (digit & 31) << shift;
      if (digit & 32) shift += 5;
      else {
        values.push(value & 1 ? -(value >> 1) : value >> 1);
        value = shift = 0;
      }
    }
    column += values[0];
    if (values.length > 1) source += values[1];
    marks.push([column, values.length > 1 ? source : -1]);
  }
  let current = -1;
  let m = 0;
  for (let c = 0; c < line.length; c++) {
    while (m < marks.length && marks[m][0] <= c) current = marks[m++][1];
    owner[offset + c] = current;
  }
  offset += line.length + 1;
}

const total = gz(js);
const rows = map.sources.map((name, i) => {
  let kept = '';
  let bytes = 0;
  for (let c = 0; c < js.length; c++) {
    if (owner[c] === i) bytes++;
    else kept += js[c];
  }
  return { name: name.replace(/^.*?dist\/(development\/)?src\//, ''), bytes, delta: total - gz(kept) };
});
const sum = rows.reduce((a, r) => a + r.delta, 0);
rows.sort((a, b) => b.delta - a.delta);
const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
console.log(`engine core from ${dir}: ${kb(js.length)} min, ${kb(total)} min+gzip\n`);
console.log(`${'module'.padEnd(32)} ${'min'.padStart(9)} ${'gzip share'.padStart(11)}`);
for (const r of rows) console.log(`${r.name.padEnd(32)} ${kb(r.bytes).padStart(9)} ${kb((r.delta * total) / sum).padStart(11)}`);
