#!/usr/bin/env node
// `node scripts/elements-size.mjs`: the elements + Lit (engine and driver clients
// excluded) as the CDN file ships them: CSS minified (scripts/minify-css.mjs) and
// code split, so what loads with the page (the entry and what it imports) is told
// apart from what loads on first use (dynamic imports: the file transfers). The
// figures are min+gzip (level 9), as in `npm run bench:size`.
// `--modules`: also each module's minified bytes in what loads with the page
// (esbuild's metafile), largest first — where the bytes go.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { esbuildMinifyCss } from './minify-css.mjs';

const CLIENTS = /^(mqtt|@nats-io\/nats-core|socket\.io-client|centrifuge|@supabase\/supabase-js)$/;
const SRC = resolve('src');

/**
 * `{ initial, lazy, total }` in bytes min+gzip, `initialMin` and `lazyMin` minified only,
 * `lazyFiles` (name → min+gzip bytes) and `modules` (source path → minified bytes it
 * puts into what loads with the page).
 */
export async function elementsSize(entry = 'elements/index.ts') {
  const external = (path, importer) => CLIENTS.test(path) || (path.startsWith('.') && resolve(dirname(importer), path).startsWith(SRC));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    outdir: 'elements-size-out',
    minify: true,
    format: 'esm',
    platform: 'browser',
    // As the CDN file is built: rollup over tsc's ES2022 output (tsconfig.json), terser
    // leaving it ES2022 — so private `#fields` stay native, not WeakMap helpers.
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      esbuildMinifyCss(readFile),
      { name: 'external', setup: (b) => b.onResolve({ filter: /.*/ }, (args) => (args.kind !== 'entry-point' && external(args.path, args.importer) ? { path: args.path, external: true } : undefined)) },
    ],
  });
  const gz = new Map(result.outputFiles.map((f) => [resolve(f.path), gzipSync(f.text, { level: 9 }).length]));
  const min = new Map(result.outputFiles.map((f) => [resolve(f.path), f.text.length]));
  const outputs = Object.entries(result.metafile.outputs).map(([path, meta]) => [resolve(path), meta]);
  const entryPath = outputs.find(([, meta]) => meta.entryPoint)[0];
  // The entry and every chunk it imports statically load with the page.
  const initial = new Set();
  const visit = (path) => {
    if (initial.has(path)) return;
    initial.add(path);
    for (const i of outputs.find(([p]) => p === path)[1].imports) if (i.kind === 'import-statement' && !i.external) visit(resolve(i.path));
  };
  visit(entryPath);
  let initialSize = 0;
  let lazy = 0;
  let initialMin = 0;
  let lazyMin = 0;
  const lazyFiles = {};
  const modules = {};
  for (const [path, meta] of outputs) {
    if (initial.has(path)) {
      for (const [input, { bytesInOutput }] of Object.entries(meta.inputs)) modules[input] = (modules[input] ?? 0) + bytesInOutput;
      initialSize += gz.get(path);
      initialMin += min.get(path);
    } else {
      lazy += gz.get(path);
      lazyMin += min.get(path);
      lazyFiles[path.split('/').pop()] = gz.get(path);
    }
  }
  return { initial: initialSize, lazy, total: initialSize + lazy, initialMin, lazyMin, lazyFiles, modules };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const { initial, lazy, total, lazyFiles, modules } = await elementsSize();
  if (process.argv.includes('--modules')) {
    for (const [input, bytes] of Object.entries(modules).sort((a, b) => b[1] - a[1])) console.log(`${String(bytes).padStart(7)}  ${input}`);
  }
  console.log(`elements + Lit, loaded with the page: ${kb(initial)} min+gzip (target ≤ 28 KB: ${initial <= 28 * 1024 ? 'within' : 'OVER'})`);
  console.log(`loaded on first use: ${kb(lazy)} (${Object.entries(lazyFiles).map(([name, size]) => `${name} ${kb(size)}`).join(', ')})`);
  console.log(`all of it: ${kb(total)}`);
}
