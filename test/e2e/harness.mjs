// Multi-page end-to-end harness: one browser context per peer, pages served on
// 127.0.0.1, the engine and driver client libraries bundled on demand by esbuild.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_PATH, FIREFOX_PATH, chromiumArgs, firefoxLaunchOptions, requireBrowser } from '../browsers.mjs';
import { bundleNatsCore } from '../nats-core-plugin.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Bundles served under /__build/: name → entry (module specifier or file). */
const ENTRIES = {
  'peerix.js': './src/index.ts',
  'mqtt.js': 'mqtt',
  'socket.io-client.js': 'socket.io-client',
  'centrifuge.js': 'centrifuge',
  'supabase.js': '@supabase/supabase-js',
  // One driver each, without the engine (the driver tests: test/e2e/drivers-*.test.mjs).
  'drivers/mqtt.js': './src/drivers/mqtt.ts',
  'drivers/nats.js': './src/drivers/nats.ts',
  'drivers/socket-io.js': './src/drivers/socket-io.ts',
  'drivers/sse.js': './src/drivers/sse.ts',
  'drivers/supabase.js': './src/drivers/supabase.ts',
  'drivers/centrifuge.js': './src/drivers/centrifuge.ts',
};

const bundles = new Map();
async function bundle(name) {
  if (name === 'nats-core.js') return bundleNatsCore();
  const entry = ENTRIES[name];
  if (!entry) return null;
  if (!bundles.has(name)) {
    // mqtt's browser ESM has only a default export: re-export it and name `connect` too.
    const contents = name === 'mqtt.js'
      ? "import mqtt from 'mqtt'; export default mqtt; export const connect = (...args) => mqtt.connect(...args);"
      : `export * from '${entry}';`;
    bundles.set(name, build({
      stdin: { contents, resolveDir: ROOT, loader: 'ts' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['browser'],
      mainFields: ['browser', 'module', 'main'],
      target: 'es2022',
      write: false,
      sourcemap: 'inline',
      logLevel: 'silent',
      define: { 'process.env.NODE_ENV': '"development"', global: 'globalThis' },
    }).then((r) => r.outputFiles[0].text));
  }
  return bundles.get(name);
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };

/**
 * Serves the repository (read only) and /__build/* bundles on 127.0.0.1.
 * `routes` may add handlers: path → (req, res) => void.
 */
export async function startStaticServer({ port = 0, routes = {} } = {}) {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      if (routes[url.pathname]) return routes[url.pathname](req, res);
      if (url.pathname.startsWith('/__build/')) {
        const text = await bundle(url.pathname.slice('/__build/'.length));
        if (text == null) return void res.writeHead(404).end();
        res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
        return void res.end(text);
      }
      const path = normalize(join(ROOT, decodeURIComponent(url.pathname)));
      if (!path.startsWith(ROOT)) return void res.writeHead(403).end();
      const file = (await stat(path)).isDirectory() ? join(path, 'index.html') : path;
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: actual } = server.address();
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

/** Launches the system Chromium (fails with an install hint when missing). */
export async function launchChromium() {
  requireBrowser(CHROMIUM_PATH, 'chromium');
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: chromiumArgs });
}

/** Launches Debian's Firefox ESR through puppeteer over WebDriver BiDi. */
export async function launchFirefox() {
  requireBrowser(FIREFOX_PATH, 'firefox-esr');
  const browser = await puppeteer.launch(firefoxLaunchOptions());
  browser.peerixKind = 'firefox';
  return browser;
}

/** Launches `kind` ('chromium' or 'firefox'). */
export function launchBrowser(kind) {
  return kind === 'firefox' ? launchFirefox() : launchChromium();
}

const isPlaywright = (page) => typeof page.context === 'function';

/**
 * Opens `url` in a fresh browser context (one peer); in Firefox each page gets
 * a window of its own, since a background tab is throttled. Uncaught page errors and
 * console errors are collected in `page.peerixErrors` so tests can assert none.
 */
export async function openPeerPage(browser, url, { name = 'page' } = {}) {
  let page;
  if (browser.peerixKind === 'firefox') {
    const context = await browser.createBrowserContext();
    page = await context.newPage({ type: 'window' });
    page.peerixClose = () => context.close();
  } else {
    const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
    page = await context.newPage();
    page.peerixClose = () => context.close();
  }
  page.peerixErrors = [];
  page.on('pageerror', (error) => page.peerixErrors.push(`${name}: ${error.message}`));
  page.on('console', (msg) => {
    if (process.env.PEERIX_E2E_CONSOLE) console.log(`[${name}] ${msg.type()}: ${msg.text()}`);
  });
  await page.goto(url);
  return page;
}

/** Polls `fn` in the page until it returns truthy or `timeout` ms pass. */
export async function waitInPage(page, fn, arg, { timeout = 20000, message = 'condition' } = {}) {
  try {
    if (isPlaywright(page)) return await page.waitForFunction(fn, arg, { timeout, polling: 50 });
    return await page.waitForFunction(fn, { timeout, polling: 50 }, arg);
  } catch (error) {
    throw new Error(`timed out after ${timeout} ms waiting for ${message}: ${error.message.split('\n')[0]}`);
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
