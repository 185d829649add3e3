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
//     <!-- sample: node -->            a Node program: bundled for Node, then run in Node (against
//                                      the built package) until it has evaluated to its end. Its
//                                      servers come from env (PEERIX_URL, PEERIX_NATS_URL,
//                                      PEERIX_SOCKET_URL, PEERIX_SSE_URL/_TOKEN, PEERIX_ROOM), all
//                                      local; test/e2e/node-docs.test.mjs checks what they do.
//     <!-- sample: log="says hello" -->  each page logs a line containing the text exactly once.
//     <!-- sample: tiles=1 -->         (html) each page shows that many remote video tiles.
//   A sample that cannot run alone must be marked `fragment`: an unmarked one that fails
//   fails this test.
// - A fence may be indented (inside a list item): its indentation is removed. A JavaScript
//   block fenced as anything but ```js (```javascript, ```mjs, ```ts …) fails the test, so no
//   sample escapes it by its language tag.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { ROOT, launchChromium, startStaticServer, waitInPage, sleep } from './harness.mjs';
import { startMosquitto } from '../servers/mosquitto.mjs';
import { startNats } from '../servers/nats.mjs';
import { startSocketIoServer, startSseHub } from '../servers/node-servers.mjs';
import { spawnLogged, stopChild } from '../servers/process.mjs';
import { buildIfNeeded } from '../../scripts/start.mjs';
import { SYSTEM_PACKAGES } from '../../scripts/system-deps.mjs';

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

/** Fence languages that are not samples (shell, data, plain text, diagrams). */
const NOT_CODE = new Set(['', 'sh', 'bash', 'shell', 'console', 'json', 'text', 'txt', 'ini', 'yaml', 'toml', 'diff', 'conf', 'nginx', 'dockerfile']);

/**
 * The fenced js/html blocks of a Markdown text, with their annotation and line. A fence
 * may be indented (a list item); its indentation is removed from the code. `fences` gets
 * every fence's language, to check that none hides a sample.
 */
export function extractSamples(text, file, fences = []) {
  const samples = [];
  const lines = text.split('\n');
  let annotation = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const marked = line.match(/^\s*<!--\s*sample:\s*(.*?)\s*-->\s*$/);
    if (marked) {
      annotation = parseAnnotation(marked[1]);
      continue;
    }
    const fence = line.match(/^( *)(`{3,}|~{3,})\s*([\w-]*)/);
    if (!fence) {
      if (line.trim() !== '') annotation = null; // an annotation belongs to the very next fence
      continue;
    }
    const [, indent, marker, lang] = fence;
    const closing = new RegExp(`^ *${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
    const end = lines.findIndex((l, j) => j > i && closing.test(l));
    if (end < 0) throw new Error(`${file}:${i + 1}: unclosed fence`);
    fences.push({ file, line: i + 1, lang });
    if (lang === 'js' || lang === 'html') {
      const code = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart())).join('\n');
      samples.push({ file, line: i + 1, lang, code, ...(annotation ?? { kind: 'run' }) });
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
let socketIo;
let sseHub;
const SSE_TOKEN = 'peerix-docs-samples';
/** Node samples are written here: inside the package, so `import … from 'peerix'` resolves to it (dist/). */
const NODE_DIR = join(ROOT, 'test-output/docs-samples');

before(async () => {
  buildIfNeeded({ log: () => {} }); // samples import the built package, as an app does
  [mosquitto, nats, servers, socketIo, sseHub] = await Promise.all([
    startMosquitto(), startNats(), startStaticServer({ routes }), startSocketIoServer(), startSseHub(['--token', SSE_TOKEN]),
  ]);
  browser = await launchChromium();
  mkdirSync(NODE_DIR, { recursive: true });
});

after(async () => {
  await browser?.close();
  await servers?.close();
  await mosquitto?.stop();
  await nats?.stop();
  await socketIo?.close();
  await sseHub?.close();
  rmSync(NODE_DIR, { recursive: true, force: true });
});

function withLocalServers(code) {
  return code
    .replaceAll('wss://broker.example/mqtt', mosquitto.url)
    .replaceAll('wss://nats.example:8443', nats.url)
    .replaceAll('https://cdn.jsdelivr.net/npm/peerix/', `${servers.url}/`);
}

/** Keeps a relative import of a Node sample (`./servers/…`, from the repository root) an import, by absolute path. */
const relativeFromRoot = {
  name: 'relative-from-root',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => ({ path: isAbsolute(args.path) ? args.path : resolve(ROOT, args.path), external: true }));
  },
};

/** Bundles a js sample; `peerix` resolves from the repository root to the built package. */
async function bundleSample(code, platform, { keepRelative = false } = {}) {
  const result = await build({
    plugins: keepRelative ? [relativeFromRoot] : [],
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

const DONE = '__peerix_sample_evaluated__';

/**
 * Runs a Node sample as its own process until it has evaluated to its end (then it
 * exits: a sample that joins a room or starts a server would run on). Its imports of
 * `./servers/…` stay imports (a server module run as the main file starts itself).
 */
async function runInNode(sample, id) {
  const code = await bundleSample(sample.code, 'node', { keepRelative: true });
  const file = join(NODE_DIR, `sample-${id}.mjs`);
  writeFileSync(file, `${code}\nconsole.log(${JSON.stringify(DONE)});\nprocess.exit(0);\n`);
  const child = spawnLogged(process.execPath, [file], {
    cwd: ROOT,
    env: {
      ...process.env,
      PEERIX_URL: mosquitto.mqttUrl,
      PEERIX_NATS_URL: nats.natsUrl,
      PEERIX_SOCKET_URL: socketIo.url,
      PEERIX_SSE_URL: sseHub.url,
      PEERIX_SSE_TOKEN: SSE_TOKEN,
      PEERIX_ROOM: `docs-node-${id}-${process.pid}`,
    },
  });
  const exited = new Promise((done) => child.on('exit', (code, signal) => done({ code, signal })));
  const result = await Promise.race([exited, sleep(60000).then(() => null)]);
  if (!result) await stopChild(child, 500);
  return { result, output: child.output() };
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

const fences = [];
const samples = markdownFiles().flatMap((file) => extractSamples(readFileSync(file, 'utf8'), file, fences));

test('the docs have samples, and every annotation is known', () => {
  assert.ok(samples.length >= 10, `found ${samples.length} samples`);
  assert.ok(samples.some((s) => s.kind === 'run' && s.lang === 'js'), 'runnable js samples');
  assert.ok(samples.some((s) => s.kind === 'run' && s.lang === 'html'), 'runnable html samples');
  assert.ok(samples.some((s) => s.kind === 'node'), 'Node samples');
});

test('every fenced block is a js/html sample or not code (no sample hides behind another tag)', () => {
  const hidden = fences.filter((f) => f.lang !== 'js' && f.lang !== 'html' && !NOT_CODE.has(f.lang));
  assert.deepEqual(hidden.map((f) => `${relative(ROOT, f.file)}:${f.line} \`\`\`${f.lang}`), [], 'fence code samples as ```js or ```html (or add the tag to NOT_CODE if it is not code)');
});

test("the README's apt-get line names exactly the packages npm test checks (scripts/system-deps.mjs)", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const line = readme.split('\n').find((l) => /^\s*(sudo )?apt-get install\b/.test(l));
  assert.ok(line, 'an apt-get install line in the README');
  const named = line.replace(/^.*apt-get install/, '').split(/\s+/).filter((w) => w && !w.startsWith('-'));
  assert.deepEqual(named.sort(), SYSTEM_PACKAGES.map((p) => p.name).sort());
});

for (const [n, sample] of samples.entries()) {
  const where = `${relative(ROOT, sample.file)}:${sample.line}`;
  const what = sample.kind === 'run' ? `runs in two pages${sample.log ? `, each logs "${sample.log}" once` : ''}${sample.tiles !== undefined ? `, ${sample.tiles} tile(s) each` : ''}` : sample.kind === 'node' ? 'runs in Node to its end' : `bundles (${sample.kind})`;
  test(`${where} (${sample.lang}) ${what}`, { timeout: 120000 }, async () => {
    if (sample.kind !== 'run') {
      if (sample.lang === 'html') {
        // A fragment of markup: its module scripts must still bundle.
        for (const [, body] of sample.code.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)) await bundleSample(body, 'browser');
        return;
      }
      if (sample.kind === 'fragment') {
        await bundleSample(sample.code, 'browser');
        return;
      }
      const { result, output } = await runInNode(sample, n);
      assert.ok(result, `${where}: still running after 60 s without evaluating to its end:\n${output}`);
      assert.equal(result.code, 0, `${where}: exited with ${result.code ?? result.signal}:\n${output}`);
      assert.ok(output.includes(DONE), `${where}: did not evaluate to its end:\n${output}`);
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
