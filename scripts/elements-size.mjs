#!/usr/bin/env node
// `node scripts/elements-size.mjs`: the elements + Lit (engine and driver clients
// excluded) as the CDN file ships them: made the way rollup.config.mjs makes
// dist/peerix-elements.js — rollup over tsc's ES2022 output in dist/ (native
// #private fields), CSS minified (scripts/minify-css.mjs), terser, shared code
// kept in the entry ('allow-extension') — so what loads with the page (the
// entry and what it imports) is told apart from what loads on first use
// (dynamic imports: file transfers, recording). Figures are min+gzip (level 9),
// as in `npm run bench:size`.
// `--modules`: also each module's minified bytes in what loads with the page
// (esbuild's metafile over the sources), largest first — where the bytes go.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { rollup } from 'rollup';
import terser from '@rollup/plugin-terser';
import nodeResolve from '@rollup/plugin-node-resolve';
import { esbuildMinifyCss, rollupMinifyCss } from './minify-css.mjs';
import { buildIfNeeded } from './start.mjs';

const CLIENTS = /^(mqtt|@nats-io\/nats-core|socket\.io-client|centrifuge|@supabase\/supabase-js)$/;
const gz = (text) => gzipSync(text, { level: 9 }).length;

/**
 * `{ initial, lazy, total }` in bytes min+gzip, `initialMin` and `lazyMin` minified only,
 * and `lazyFiles` (name → min+gzip bytes). Needs the build in dist/ (buildIfNeeded).
 */
export async function elementsSize(entry = 'dist/elements/index.js') {
  const engine = resolve('dist/src');
  const bundle = await rollup({
    input: { 'peerix-elements': entry },
    external: (id, importer) => CLIENTS.test(id) || (id.startsWith('.') && !!importer && resolve(dirname(importer), id).startsWith(engine)),
    preserveEntrySignatures: 'allow-extension',
    onwarn: () => {},
    plugins: [rollupMinifyCss(), nodeResolve({ browser: true, exportConditions: ['browser', 'production'] })],
  });
  const { output } = await bundle.generate({ format: 'es', plugins: [terser({ ecma: 2020, module: true, compress: { passes: 2 } })] });
  await bundle.close();
  const chunks = new Map(output.filter((o) => o.type === 'chunk').map((c) => [c.fileName, c]));
  // The entry and every chunk it imports statically load with the page.
  const initial = new Set();
  const visit = (name) => {
    if (initial.has(name) || !chunks.has(name)) return;
    initial.add(name);
    for (const i of chunks.get(name).imports) visit(i);
  };
  visit([...chunks.values()].find((c) => c.isEntry).fileName);
  const result = { initial: 0, lazy: 0, total: 0, initialMin: 0, lazyMin: 0, lazyFiles: {} };
  for (const [name, { code }] of chunks) {
    if (initial.has(name)) {
      result.initial += gz(code);
      result.initialMin += code.length;
    } else {
      result.lazy += gz(code);
      result.lazyMin += code.length;
      result.lazyFiles[name.replace(/-[\w-]{8}\.js$/, '')] = gz(code);
    }
  }
  result.total = result.initial + result.lazy;
  return result;
}

/** Source path → minified bytes it puts into what loads with the page (esbuild, from the TypeScript sources). */
export async function elementsByModule(entry = 'elements/index.ts') {
  const src = resolve('src');
  const external = (path, importer) => CLIENTS.test(path) || (path.startsWith('.') && resolve(dirname(importer), path).startsWith(src));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    outdir: 'elements-size-out',
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      esbuildMinifyCss(readFile),
      { name: 'external', setup: (b) => b.onResolve({ filter: /.*/ }, (args) => (args.kind !== 'entry-point' && external(args.path, args.importer) ? { path: args.path, external: true } : undefined)) },
    ],
  });
  const outputs = Object.entries(result.metafile.outputs);
  const initial = new Set();
  const visit = (path) => {
    if (initial.has(path)) return;
    initial.add(path);
    for (const i of outputs.find(([p]) => p === path)[1].imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(outputs.find(([, meta]) => meta.entryPoint === entry)[0]);
  const modules = {};
  for (const [path, meta] of outputs) {
    if (!initial.has(path)) continue;
    for (const [input, { bytesInOutput }] of Object.entries(meta.inputs)) modules[input] = (modules[input] ?? 0) + bytesInOutput;
  }
  return modules;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildIfNeeded({ log: () => {} });
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const { initial, lazy, total, lazyFiles } = await elementsSize();
  if (process.argv.includes('--modules')) {
    for (const [input, bytes] of Object.entries(await elementsByModule()).sort((a, b) => b[1] - a[1])) console.log(`${String(bytes).padStart(7)}  ${input}`);
  }
  console.log(`elements + Lit, loaded with the page: ${kb(initial)} min+gzip (target ≤ 28 KB: ${initial <= 28 * 1024 ? 'within' : 'OVER'})`);
  console.log(`loaded on first use: ${kb(lazy)} (${Object.entries(lazyFiles).map(([name, size]) => `${name} ${kb(size)}`).join(', ')})`);
  console.log(`all of it: ${kb(total)}`);
}
