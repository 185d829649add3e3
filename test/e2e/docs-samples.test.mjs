// Every code sample in README.md and docs/**/*.md, run as a reader would.
//
// The convention (README "Contributing" says the same):
// - Each ```js and ```html block is a sample. Other fences (sh, json, ts, …) are not run.
// - By default a sample is complete and runnable alone. A js sample is bundled with
//   esbuild against the BUILT package (`import … from 'peerix'` resolves through
//   package.json "exports" to dist/, as in an app) and run as a module in two pages
//   (two peers, one browser context) in Chromium; it must finish evaluating without an
//   error. An html sample is loaded in two pages (inline module scripts bundled the
//   same way) and must load without an error.
// - Placeholders are pointed at real local servers: wss://broker.example/mqtt → Mosquitto,
//   wss://nats.example:8443 → nats-server, https://cdn.jsdelivr.net/npm/peerix/ → the
//   built package (its dist/ files).
// - An HTML comment on the line(s) before the fence says more:
//     <!-- sample: fragment -->        not runnable alone (uses names defined around it,
//                                      or servers the tests do not run): bundled only.
//     <!-- sample: node -->            a Node program or fragment: bundled for Node only.
//     <!-- sample: log="says hello" -->  each page logs a line containing the text exactly once.
//     <!-- sample: tiles=1 -->         (html) each page shows that many remote video tiles.
//   A sample that cannot run alone must be marked `fragment`: an unmarked one that fails
//   fails this test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { ROOT, launchChromium, startStaticServer, waitInPage, sleep } from './harness.mjs';
import { startMosquitto } from '../servers/mosquitto.mjs';
import { startNats } from '../servers/nats.mjs';
import { buildIfNeeded } from '../../scripts/start.mjs';

/** README.md and every Markdown file under docs/. */
function markdownFiles() {
  const files = [join(ROOT, 'README.md')];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md')) files.push(path);
    }
  };
  walk(join(ROOT, 'docs'));
  return files;
}

/** Parses `<!-- sample: fragment log="x" tiles=1 -->` into { kind, log, tiles }. */
export function parseAnnotation(text) {
  const options = { kind: 'run' };
  for (const [, key, quoted, bare] of text.matchAll(/([\w-]+)(?:=(?:"([^"]*)"|(\S+)))?/g)) {
    const value = quoted ?? bare;
    if (value === undefined) {
      if (!['fragment', 'node', 'run'].includes(key)) throw new Error(`unknown sample annotation "${key}"`);
      options.kind = key;
    } else if (key === 'log') options.log = value;
    else if (key === 'tiles') options.tiles = Number(value);
    else throw new Error(`unknown sample option "${key}"`);
  }
  return options;
}

/** The fenced js/html blocks of a Markdown text, with their annotation and line. */
export function extractSamples(text, file) {
  const samples = [];
  const lines = text.split('\n');
  let annotation = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const marked = line.match(/^<!--\s*sample:\s*(.*?)\s*-->\s*$/);
    if (marked) {
      annotation = parseAnnotation(marked[1]);
      continue;
    }
    const fence = line.match(/^(`{3,})\s*([\w-]*)/);
    if (!fence) {
      if (line.trim() !== '') annotation = null; // an annotation belongs to the very next fence
      continue;
    }
    const end = lines.findIndex((l, j) => j > i && l.startsWith(fence[1]));
    if (end < 0) throw new Error(`${file}:${i + 1}: unclosed fence`);
    const lang = fence[2];
    if (lang === 'js' || lang === 'html') {
      samples.push({ file, line: i + 1, lang, code: lines.slice(i + 1, end).join('\n'), ...(annotation ?? { kind: 'run' }) });
    }
    annotation = null;
    i = end;
  }
  return samples;
}

let servers;
let browser;
/** Sample pages, served for real (a page fulfilled by the test runner counts as a public address, and Chromium then blocks its loopback WebSockets). */
const routes = {};
let mosquitto;
let nats;

before(async () => {
  buildIfNeeded({ log: () => {} }); // samples import the built package, as an app does
  [mosquitto, nats, servers] = await Promise.all([startMosquitto(), startNats(), startStaticServer({ routes })]);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await servers?.close();
  await mosquitto?.stop();
  await nats?.stop();
});

function withLocalServers(code) {
  return code
    .replaceAll('wss://broker.example/mqtt', mosquitto.url)
    .replaceAll('wss://nats.example:8443', nats.url)
    .replaceAll('https://cdn.jsdelivr.net/npm/peerix/', `${servers.url}/`);
}

/** Bundles a js sample; `peerix` resolves from the repository root to the built package. */
async function bundleSample(code, platform) {
  const result = await build({
    stdin: { contents: code, resolveDir: ROOT, loader: 'js', sourcefile: 'sample.js' },
    bundle: true,
    format: 'esm',
    platform,
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    ...(platform === 'browser'
      ? { conditions: ['browser'], mainFields: ['browser', 'module', 'main'], define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' } }
      : { packages: 'external' }),
  });
  return result.outputFiles[0].text;
}

/** An html sample with its inline module scripts bundled and its placeholders replaced. */
async function pageOf(sample) {
  if (sample.lang === 'js') {
    const code = await bundleSample(withLocalServers(sample.code), 'browser');
    return `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module">${code.replaceAll('</script', '<\\/script')}\n;window.__sampleDone = true;</script>`;
  }
  let html = withLocalServers(sample.code);
  const scripts = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)];
  for (const [whole, body] of scripts) {
    const code = await bundleSample(body, 'browser');
    html = html.replace(whole, () => `<script type="module">${code.replaceAll('</script', '<\\/script')}</script>`);
  }
  return `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">${html}<script type="module">window.__sampleDone = true;</script>`;
}

const REMOTE_TILES = `(() => {
  const all = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.localName === 'peerix-remote-videos') all.push(...(el.shadowRoot?.querySelectorAll('figure[part~="tile"]') ?? []));
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return all.length;
})()`;

/** Runs a sample in two pages of one context; returns what each page logged. */
async function runInPages(sample, id) {
  const html = await pageOf(sample);
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const pages = [];
  try {
    for (let i = 0; i < 2; i++) {
      const page = await context.newPage();
      const entry = { page, logs: [], errors: [] };
      page.on('console', (msg) => entry.logs.push(msg.text()));
      page.on('pageerror', (error) => entry.errors.push(error.message));
      routes[`/__sample/${id}.html`] = (req, res) => res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' }).end(html);
      await page.goto(`${servers.url}/__sample/${id}.html`);
      pages.push(entry);
    }
    const where = `${relative(ROOT, sample.file)}:${sample.line}`;
    for (const [i, { page, errors }] of pages.entries()) {
      await waitInPage(page, () => window.__sampleDone === true, undefined, { timeout: 30000, message: `${where} to finish evaluating in page ${i + 1} (errors: ${errors.join('; ') || 'none'})` });
    }
    if (sample.log) {
      for (const [i, entry] of pages.entries()) {
        const start = Date.now();
        while (!entry.logs.some((l) => l.includes(sample.log))) {
          if (Date.now() - start > 30000) throw new Error(`${where}: page ${i + 1} never logged "${sample.log}" (logged: ${JSON.stringify(entry.logs)})`);
          await sleep(100);
        }
      }
      await sleep(2000); // a duplicate would arrive by now
    }
    if (sample.tiles !== undefined) {
      for (const [i, { page }] of pages.entries()) {
        await waitInPage(page, ({ tiles, n }) => eval(tiles) === n, { tiles: REMOTE_TILES, n: sample.tiles }, { timeout: 40000, message: `${where}: ${sample.tiles} remote tile(s) in page ${i + 1}` });
      }
    }
    return pages.map(({ logs, errors }) => ({ logs, errors }));
  } finally {
    await context.close();
  }
}

const samples = markdownFiles().flatMap((file) => extractSamples(readFileSync(file, 'utf8'), file));

test('the docs have samples, and every annotation is known', () => {
  assert.ok(samples.length >= 10, `found ${samples.length} samples`);
  assert.ok(samples.some((s) => s.kind === 'run' && s.lang === 'js'), 'runnable js samples');
  assert.ok(samples.some((s) => s.kind === 'run' && s.lang === 'html'), 'runnable html samples');
});

for (const [n, sample] of samples.entries()) {
  const where = `${relative(ROOT, sample.file)}:${sample.line}`;
  const what = sample.kind === 'run' ? `runs in two pages${sample.log ? `, each logs "${sample.log}" once` : ''}${sample.tiles !== undefined ? `, ${sample.tiles} tile(s) each` : ''}` : `bundles (${sample.kind})`;
  test(`${where} (${sample.lang}) ${what}`, { timeout: 120000 }, async () => {
    if (sample.kind !== 'run') {
      if (sample.lang === 'html') {
        // A fragment of markup: its module scripts must still bundle.
        for (const [, body] of sample.code.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)) await bundleSample(body, 'browser');
        return;
      }
      await bundleSample(sample.code, sample.kind === 'node' ? 'node' : 'browser');
      return;
    }
    const pages = await runInPages(sample, n);
    for (const [i, { logs, errors }] of pages.entries()) {
      assert.deepEqual(errors, [], `${where}: page ${i + 1} threw`);
      if (sample.log) {
        const hits = logs.filter((l) => l.includes(sample.log));
        assert.equal(hits.length, 1, `${where}: page ${i + 1} logged "${sample.log}" ${hits.length} times: ${JSON.stringify(hits)}`);
      }
    }
  });
}
