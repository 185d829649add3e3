#!/usr/bin/env node
// `npm start`: builds dist/ if it is missing or older than the sources, serves
// demo/ (at /) and dist/ (at /dist/) over HTTP and HTTPS, and runs the embedded
// MQTT broker on the same servers at /mqtt — so two tabs opening the printed
// URL are in a call, and a second machine on the LAN can use the HTTPS URL
// (browsers give cameras to secure pages only). The HTTPS certificate is
// self-signed, made on first run and kept in .cert/ (git-ignored).
// PORT (default 8080), HTTPS_PORT (default 8443; "off" for none) and HOST
// (default 0.0.0.0) may be set. SIGINT/SIGTERM stop it and a running build.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
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
/** The tab icon (pages also say `<link rel="icon" href="data:,">`; this answers browsers that ask anyway). */
const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="5" cy="8" r="3.5" fill="#3b5bdb"/><circle cx="11" cy="8" r="3.5" fill="#12b886"/></svg>';

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

/** The build in progress (its own process group, so a stop ends tsc and rollup too). */
let building = null;

/** As buildIfNeeded, without blocking: a signal can stop the server and the build. */
export async function buildIfNeededAsync({ log = console.log } = {}) {
  if (!needsBuild()) return;
  log('peerix: building dist/ (sources changed or no build yet)…');
  const child = spawn(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit', detached: true });
  building = child;
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  building = null;
  if (code !== 0) throw new Error('build failed');
}

function stopBuild() {
  if (!building) return;
  try {
    process.kill(-building.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** The self-signed certificate for HTTPS, made once and kept in `dir`. */
export async function certificate(dir = process.env.PEERIX_CERT_DIR ?? join(ROOT, '.cert')) {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  if (existsSync(keyFile) && existsSync(certFile)) return { key: await readFile(keyFile), cert: await readFile(certFile) };
  const { generate } = (await import('selfsigned')).default;
  const ips = ['127.0.0.1', ...lanAddresses()];
  const pems = await generate([{ name: 'commonName', value: 'peerix demo' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 825 * 24 * 3600 * 1000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, ...ips.map((ip) => ({ type: 7, ip }))] }],
  });
  await mkdir(dir, { recursive: true });
  await writeFile(keyFile, pems.private, { mode: 0o600 });
  await writeFile(certFile, pems.cert);
  return { key: pems.private, cert: pems.cert };
}

function lanAddresses() {
  const list = [];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) list.push(a.address);
  }
  return list;
}

async function serveFile(res, path) {
  const info = await stat(path);
  const file = info.isDirectory() ? join(path, 'index.html') : path;
  const body = await readFile(file);
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
  res.end(body);
}

/** Local and LAN URLs of a server listening on `host:port`. */
export function urlsFor(host, port, scheme = 'http') {
  if (host !== '0.0.0.0' && host !== '::') return [`${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}/`];
  return [`${scheme}://localhost:${port}/`, ...lanAddresses().map((a) => `${scheme}://${a}:${port}/`)];
}

/**
 * Starts the demo server. Resolves to `{ url, urls, port, httpsUrls, httpsPort, close }`.
 * `build: false` skips the freshness check (tests that built already);
 * `httpsPort: null` serves HTTP only; `certDir` is where the certificate is kept.
 */
export async function startDemoServer({
  port = Number(process.env.PORT ?? 8080),
  httpsPort = process.env.HTTPS_PORT === 'off' ? null : Number(process.env.HTTPS_PORT ?? 8443),
  host = process.env.HOST ?? '0.0.0.0',
  certDir,
  build = true,
  log = console.log,
} = {}) {
  if (build) await buildIfNeededAsync({ log });
  const handler = async (req, res) => {
    try {
      const { pathname } = new URL(req.url ?? '/', 'http://demo');
      if (pathname === '/favicon.ico' || pathname === '/favicon.svg') {
        return void res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=86400' }).end(FAVICON);
      }
      const decoded = decodeURIComponent(pathname);
      const [base, rel] = decoded.startsWith('/dist/') ? [DIST, decoded.slice('/dist/'.length)] : [DEMO, decoded.slice(1)];
      const path = normalize(join(base, rel));
      if (path !== base && !path.startsWith(base + sep)) return void res.writeHead(403).end();
      await serveFile(res, path);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  };
  const server = createServer(handler);
  const broker = await startEmbeddedBroker({ server, path: '/mqtt' });
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  const actual = server.address().port;
  let secure = null;
  if (httpsPort !== null) {
    secure = createHttpsServer(await certificate(certDir), handler);
    // One broker for both: a LAN machine on HTTPS meets a local tab on HTTP.
    secure.on('upgrade', (req, socket, head) => server.emit('upgrade', req, socket, head));
    await new Promise((resolve, reject) => secure.once('error', reject).listen(httpsPort, host, resolve));
  }
  const urls = urlsFor(host, actual);
  const httpsActual = secure?.address().port ?? null;
  const closeServer = (s) => new Promise((resolve) => {
    s.closeAllConnections?.();
    s.close(() => resolve());
  });
  return {
    url: urls[0],
    urls,
    port: actual,
    httpsUrls: secure ? urlsFor(host, httpsActual, 'https') : [],
    httpsPort: httpsActual,
    close: async () => {
      await broker.close();
      await Promise.all([closeServer(server), ...(secure ? [closeServer(secure)] : [])]);
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let demo = null;
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\npeerix: ${signal}, stopping…`);
    stopBuild();
    // Whatever hangs, the process ends.
    setTimeout(() => process.exit(0), 3000).unref();
    await demo?.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => void stop('SIGHUP'));
  try {
    demo = await startDemoServer();
  } catch (error) {
    if (stopping) process.exit(0);
    console.error(`peerix: ${error.message}`);
    process.exit(1);
  }
  if (stopping) await demo.close();
  const { urls, httpsUrls } = demo;
  console.log('\nPeerix demo — open this in two tabs (or on two machines):');
  for (const url of urls) console.log(`  ${url}`);
  if (httpsUrls.length) {
    console.log('\nHTTPS (self-signed certificate in .cert/; accept the browser warning once): use this from');
    console.log('another machine on the LAN, since browsers give the camera to secure pages only:');
    for (const url of httpsUrls) console.log(`  ${url}`);
  }
  console.log('\nMQTT over WebSocket on the same servers at /mqtt.');
  console.log('Other pages: /api.html and one per driver (/mqtt.html, /memory.html, …). Ctrl+C stops.\n');
}
