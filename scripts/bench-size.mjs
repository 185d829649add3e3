#!/usr/bin/env node
// `npm run bench:size`: min+gzip sizes of the engine, each driver, each add-on
// and the elements CDN file (driver client libraries, which load on demand, and
// Yjs excluded). Per module: node scripts/size-by-module.mjs.
// Targets: the engine core ≤ 12 KB min+gzip (on the way to 7 KB); all elements
// + Lit ≤ 28 KB min+gzip.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { build } from 'esbuild';
import { buildIfNeeded } from './start.mjs';
import { elementsSize } from './elements-size.mjs';

const TARGET = 28 * 1024;
const CORE_TARGET = 12 * 1024;
const gz = (text) => gzipSync(text, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const rows = [];
const row = (name, text, note = '') => rows.push([name, text.length, gz(text), note]);

async function bundle(entry, external, options = {}) {
  const result = await build({
    ...(typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: { ...entry, resolveDir: process.cwd(), loader: 'js' } }),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    ...options,
    write: false,
    logLevel: 'silent',
    plugins: [{ name: 'external', setup: (b) => b.onResolve({ filter: /.*/ }, (args) => (args.kind !== 'entry-point' && external(args.path, args.importer) ? { path: args.path, external: true } : undefined)) }],
  });
  return result.outputFiles[0].text;
}

buildIfNeeded({ log: () => {} });
// The engine core as issue #11 defines it: Peer (its codec, crypto and default options) with
// the Memory and BroadcastChannel drivers, from the production modules (short error
// messages); the development modules (full messages) beside it. ES2022: private fields stay native.
const core = (dir) => ({ contents: ['peer.js', 'errors.js', 'drivers/memory.js', 'drivers/broadcast-channel.js'].map((f) => `export * from './${dir}/${f}';`).join('\n') });
const none = () => false;
row('engine core: Peer + Memory + BroadcastChannel', await bundle(core('dist/src'), none, { target: 'es2022' }), 'target ≤ 12 KB');
row('  the same, development build (full messages)', await bundle(core('dist/development/src'), none, { target: 'es2022' }));
row('engine (dist/peerix.min.js)', readFileSync('dist/peerix.min.js', 'utf8'));
for (const file of readdirSync('src/drivers').filter((f) => f.endsWith('.ts') && !['driver.ts', 'pubsub.ts'].includes(f)).sort()) {
  // The driver and its pubsub base; the engine's shared modules (errors, emitter) excluded.
  const text = await bundle(join('src/drivers', file), (path) => path.startsWith('../'));
  row(`driver ${file.replace('.ts', '')}`, text);
}
// Add-ons, each its own entry: the add-on and its helpers; the engine's modules and
// Yjs (yjs, y-protocols, lib0) excluded.
const YJS = /^(yjs$|y-protocols\/|lib0\/)/;
const engineOrYjs = (path, importer) => {
  if (YJS.test(path)) return true;
  const file = resolvePath(dirname(importer), path);
  return !file.includes('/src/addons/') || file.endsWith('/src/addons/addon.js');
};
for (const name of ['state', 'yjs', 'recorder', 'mixer']) {
  row(`add-on peerix/addons/${name}`, await bundle(`src/addons/${name}/index.ts`, engineOrYjs), name === 'yjs' ? 'Yjs excluded' : '');
}
const CLIENTS = /^(mqtt|@nats-io\/nats-core|socket\.io-client|centrifuge|@supabase\/supabase-js)$/;
// The engine is any module under src/, whatever the importer's depth (elements/driver-descriptors/ too).
const SRC = resolvePath('src');
const engineOrClient = (path, importer) => CLIENTS.test(path) || (path.startsWith('.') && resolvePath(dirname(importer), path).startsWith(SRC));
// As the CDN file ships them: CSS minified, and what loads on first use (the file transfers) apart.
const elements = await elementsSize();
rows.push(['elements + Lit (engine excluded), loaded with the page', elements.initialMin, elements.initial, 'target ≤ 28 KB']);
rows.push(['  + loaded on first use (file transfers, recording, driver connect code)', elements.lazyMin, elements.lazy, '']);
row('CDN dist/peerix-elements.js (elements + Lit + engine)', readFileSync('dist/peerix-elements.js', 'utf8'));
if (existsSync('dist/peerix-elements.iife.js')) row('IIFE dist/peerix-elements.iife.js (+ mqtt inlined)', readFileSync('dist/peerix-elements.iife.js', 'utf8'));

const width = Math.max(...rows.map((r) => r[0].length));
console.log(`${'bundle'.padEnd(width)}  ${'min'.padStart(9)}  ${'min+gzip'.padStart(9)}`);
for (const [name, min, zipped, note] of rows) console.log(`${name.padEnd(width)}  ${kb(min).padStart(9)}  ${kb(zipped).padStart(9)}  ${note}`);
// What `npm pack` makes (what an npm install downloads).
const packDir = mkdtempSync(join(tmpdir(), 'peerix-pack-'));
const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], { encoding: 'utf8' }));
rmSync(packDir, { recursive: true, force: true });
console.log(`\nnpm pack: ${kb(packed.size)} packed, ${kb(packed.unpackedSize)} unpacked, ${packed.entryCount} files`);
const coreSize = rows.find((r) => r[0].startsWith('engine core'))[2];
console.log(`\nengine core: ${kb(coreSize)} min+gzip — ${coreSize <= CORE_TARGET ? 'within' : 'OVER'} the 12 KB target`);
const initialElements = rows.find((r) => r[0].startsWith('elements + Lit'))[2];
console.log(`elements + Lit: ${kb(initialElements)} min+gzip — ${initialElements <= TARGET ? 'within' : 'OVER'} the 28 KB target`);
