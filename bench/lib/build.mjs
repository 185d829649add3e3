// esbuild for `npm run bench`: the page bundles (served from memory) and the
// size table (minified, then gzip -9).
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHIMS = join(ROOT, 'bench/lib/node-shims.js');

const common = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  conditions: ['browser'],
  mainFields: ['browser', 'module', 'main'],
  target: 'es2022',
  write: false,
  logLevel: 'silent',
  absWorkingDir: ROOT,
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
};

/** Options for entries that pull Node-flavoured packages (simple-peer). */
const nodeFlavoured = (entry) => (/simple-peer/.test(entry) ? { inject: [SHIMS] } : {});

/** Bundles the page of each library: name → JavaScript text. */
export async function buildPages(names) {
  const out = {};
  await Promise.all(names.map(async (name) => {
    const entry = `bench/pages/${name}.js`;
    const result = await build({ ...common, entryPoints: [entry], ...nodeFlavoured(entry) });
    out[name] = result.outputFiles[0].text;
  }));
  return out;
}

async function minGzip(options) {
  const result = await build({ ...common, minify: true, ...options });
  const text = result.outputFiles[0].contents;
  return { min: text.length, gzip: gzipSync(text, { level: 9 }).length };
}

const fromSource = (contents, extra = {}) => ({ stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'entry.ts' }, ...extra });

/** The size table: chat apps per library, Peerix's engine, drivers and elements. */
export async function measureSizes() {
  const rows = [];
  const add = async (group, name, options, note = '') => {
    try {
      rows.push({ group, name, ...(await minGzip(options)), note });
    } catch (error) {
      rows.push({ group, name, error: String(error.message ?? error).split('\n')[0].slice(0, 160), note });
    }
  };
  for (const lib of ['peerix', 'trystero', 'peerjs', 'simple-peer']) {
    const entry = `bench/pages/apps/${lib}.js`;
    await add('chat app (client libraries included)', lib, { entryPoints: [entry], ...nodeFlavoured(entry) });
  }
  const core = "export { Peer, MemoryDriver, BroadcastChannelDriver } from './src/index.ts';";
  await add('peerix', 'engine core (Peer, codec, crypto, Memory + BroadcastChannel drivers)', fromSource(core));
  await add('peerix', 'whole src/index.ts', fromSource("export * from './src/index.ts';"));
  const coreSize = rows.at(-2);
  const drivers = readdirSync(join(ROOT, 'src/drivers')).filter((f) => f.endsWith('.ts') && !['driver.ts', 'pubsub.ts', 'memory.ts', 'broadcast-channel.ts'].includes(f) && !f.endsWith('.d.ts'));
  const external = ['mqtt', '@nats-io/*', 'socket.io-client', 'centrifuge', '@supabase/*'];
  for (const file of drivers) {
    const cls = readFileSync(join(ROOT, 'src/drivers', file), 'utf8').match(/export class (\w+Driver)\b/)?.[1];
    if (!cls) continue;
    try {
      const both = await minGzip(fromSource(`${core}\nexport { ${cls} } from './src/drivers/${file.replace(/\.ts$/, '.ts')}';`, { external }));
      rows.push({ group: 'peerix driver (added to the core; client library excluded)', name: cls, min: both.min - coreSize.min, gzip: both.gzip - coreSize.gzip });
    } catch (error) {
      rows.push({ group: 'peerix driver', name: cls, error: String(error.message).split('\n')[0].slice(0, 160) });
    }
  }
  const dist = join(ROOT, 'dist/peerix-elements.js');
  if (existsSync(dist)) {
    const text = readFileSync(dist);
    rows.push({ group: 'elements', name: 'dist/peerix-elements.js (CDN file as built: elements + Lit + engine)', min: text.length, gzip: gzipSync(text, { level: 9 }).length });
  }
  if (existsSync(join(ROOT, 'elements/index.ts'))) {
    // Elements and Lit alone: the engine (../src/) and client libraries left out.
    const engineExternal = { name: 'engine-external', setup(b) { b.onResolve({ filter: /(^|\/)src\// }, (a) => (a.importer.includes('/elements/') ? { path: a.path, external: true } : undefined)); } };
    await add('elements', 'elements/index.ts + Lit (engine and client libraries excluded)', { entryPoints: ['elements/index.ts'], external, plugins: [engineExternal] });
  }
  return rows;
}
