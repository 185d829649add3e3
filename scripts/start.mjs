#!/usr/bin/env node
// `npm start`: builds dist/ if it is missing or older than the sources, serves
// demo/ (at /) and dist/ (at /dist/) over HTTP, and runs the embedded MQTT
// broker on the same server at /mqtt — so two tabs opening the printed URL are
// in a call. PORT (default 8080) and HOST (default 0.0.0.0) may be set.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedBroker } from '../servers/embedded-broker.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEMO = join(ROOT, 'demo');
const DIST = join(ROOT, 'dist');
const CDN_FILE = join(DIST, 'peerix-elements.js');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** True when dist/ lacks the elements file or is older than src/ or elements/. */
export function needsBuild() {
  if (!existsSync(CDN_FILE)) return true;
  const built = statSync(CDN_FILE).mtimeMs;
  return Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'elements'))) > built;
}

export function buildIfNeeded({ log = console.log } = {}) {
  if (!needsBuild()) return;
  log('peerix: building dist/ (sources changed or no build yet)…');
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('build failed');
}

async function serveFile(res, path) {
  const info = await stat(path);
  const file = info.isDirectory() ? join(path, 'index.html') : path;
  const body = await readFile(file);
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
  res.end(body);
}

/** Local and LAN URLs of a server listening on `host:port`. */
export function urlsFor(host, port) {
  if (host !== '0.0.0.0' && host !== '::') return [`http://${host.includes(':') ? `[${host}]` : host}:${port}/`];
  const urls = [`http://localhost:${port}/`];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) urls.push(`http://${a.address}:${port}/`);
  }
  return urls;
}

/**
 * Starts the demo server. Resolves to `{ url, urls, port, close }`.
 * `build: false` skips the freshness check (tests that built already).
 */
export async function startDemoServer({ port = Number(process.env.PORT ?? 8080), host = process.env.HOST ?? '0.0.0.0', build = true, log = console.log } = {}) {
  if (build) buildIfNeeded({ log });
  const server = createServer(async (req, res) => {
    try {
      const { pathname } = new URL(req.url ?? '/', 'http://demo');
      const decoded = decodeURIComponent(pathname);
      const [base, rel] = decoded.startsWith('/dist/') ? [DIST, decoded.slice('/dist/'.length)] : [DEMO, decoded.slice(1)];
      const path = normalize(join(base, rel));
      if (path !== base && !path.startsWith(base + sep)) return void res.writeHead(403).end();
      await serveFile(res, path);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  const broker = await startEmbeddedBroker({ server, path: '/mqtt' });
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  const actual = server.address().port;
  const urls = urlsFor(host, actual);
  return {
    url: urls[0],
    urls,
    port: actual,
    close: async () => {
      await broker.close();
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { urls } = await startDemoServer();
  console.log('\nPeerix demo — open this in two tabs (or on two machines):');
  for (const url of urls) console.log(`  ${url}`);
  console.log('\nMQTT over WebSocket on the same server at /mqtt.');
  console.log('Browsers allow the camera on http://localhost only; from another machine use HTTPS');
  console.log('(a reverse proxy) or allow the origin in chrome://flags/#unsafely-treat-insecure-origin-as-secure.');
  console.log('Other pages: /api.html and one per driver (/mqtt.html, /memory.html, …). Ctrl+C stops.\n');
}
