// SharedState and the Yjs provider across pages (one peer each, Chromium and
// Firefox, signaling through a real MQTT broker): random concurrent edits end
// identical everywhere, a late joiner gets everything, and edits made during
// a 6 s network cut (inside the test's network namespace) arrive after it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { ROOT, launchChromium, launchFirefox, openPeerPage, startStaticServer, waitInPage, sleep } from './harness.mjs';
import { startEmbeddedBroker } from '../../servers/embedded-broker.mjs';

let server;
let broker;
let chromium;
let firefox;

/** The engine, both add-ons and Yjs in one module, so the page and the provider share one Yjs. */
async function bundle() {
  const result = await build({
    stdin: {
      contents: "export * from './src/index.ts'; export * from './src/addons/state/index.ts'; export * from './src/addons/yjs/index.ts'; export * as Y from 'yjs';",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent', sourcemap: 'inline',
  });
  return result.outputFiles[0].text;
}

before(async () => {
  const code = await bundle();
  server = await startStaticServer({
    routes: { '/__state/bundle.js': (req, res) => res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(code) },
  });
  broker = await startEmbeddedBroker({ port: 0 });
  chromium = await launchChromium();
  firefox = await launchFirefox();
});
after(async () => {
  await chromium?.close();
  await firefox?.close();
  await broker?.close();
  await server?.close();
});

let seed = 1;
async function join(browser, room, name) {
  const page = await openPeerPage(browser, `${server.url}/test/e2e/pages/state-page.html`, { name });
  await waitInPage(page, () => window.ready === true, undefined, { message: `${name} loaded` });
  await page.evaluate((o) => window.start(o), { url: broker.url, room, name, seed: seed++ });
  page.peerName = name;
  return page;
}

async function meshed(pages) {
  for (const page of pages) {
    await waitInPage(page, (n) => window.openPeers().length === n, pages.length - 1, { timeout: 60000, message: `${page.peerName} connected to all` });
  }
}

/** Waits until every page holds the same map, text and Y.Map; returns that snapshot. */
async function converged(pages, timeout = 60000) {
  const start = Date.now();
  let snapshots = [];
  while (Date.now() - start < timeout) {
    snapshots = await Promise.all(pages.map((p) => p.evaluate(() => window.snapshot())));
    if (snapshots.every((s) => s === snapshots[0])) return JSON.parse(snapshots[0]);
    await sleep(250);
  }
  assert.fail(`pages did not converge in ${timeout} ms:\n${describeDifferences(pages, snapshots.map((s) => JSON.parse(s)))}`);
}

/** What differs between the first page's snapshot and each other's, briefly. */
function describeDifferences(pages, snapshots) {
  const [first] = snapshots;
  const lines = [];
  snapshots.forEach((snapshot, i) => {
    if (i === 0) return;
    for (const part of ['map', 'ymap']) {
      const keys = new Set([...Object.keys(first[part]), ...Object.keys(snapshot[part])]);
      for (const key of keys) {
        const x = JSON.stringify(first[part][key]);
        const y = JSON.stringify(snapshot[part][key]);
        if (x !== y) lines.push(`${part}[${key}]: ${pages[0].peerName}=${x} ${pages[i].peerName}=${y}`);
      }
    }
    if (first.text !== snapshot.text) lines.push(`text: ${pages[0].peerName} ${first.text.length} chars, ${pages[i].peerName} ${snapshot.text.length} chars`);
  });
  return lines.slice(0, 40).join('\n');
}

async function noErrors(pages, { expected = /^$/ } = {}) {
  const logs = await Promise.all(pages.map((p) => p.evaluate(() => window.log.errors)));
  assert.deepEqual(logs.flat(), []);
  assert.deepEqual(pages.flatMap((p) => p.peerixErrors).filter((e) => !expected.test(e)), []);
}

test('4 pages (3 Chromium, 1 Firefox) edit at random for 10 s, end identical; a late joiner gets it all', async () => {
  const room = `state-${Math.random()}`;
  const pages = [];
  for (const [browser, name] of [[chromium, 'a'], [chromium, 'b'], [firefox, 'c'], [chromium, 'd']]) pages.push(await join(browser, room, name));
  try {
    await meshed(pages);
    const counts = await Promise.all(pages.map((p) => p.evaluate((ms) => window.edit(ms), 10_000)));
    assert.ok(counts.every((n) => n > 20), `every page edited: ${counts}`);
    const final = await converged(pages);
    assert.ok(Object.keys(final.map).length > 5, 'the map holds values');
    assert.ok(final.text.length > 50, 'the text holds text');
    for (const name of ['a', 'b', 'c', 'd']) assert.ok(final.text.includes(name), `text has ${name}'s edits`);
    // Presence: every page sees all four.
    for (const page of pages) await waitInPage(page, () => window.presence().join() === 'a,b,c,d', undefined, { message: `${page.peerName} sees everyone` });

    const late = await join(chromium, room, 'late');
    pages.push(late);
    await meshed(pages);
    const lateSnapshot = await converged(pages);
    assert.deepEqual(lateSnapshot, final);
    await noErrors(pages);
  } finally {
    for (const page of pages) await page.peerixClose();
  }
});

const ip = (...args) => execFileSync('ip', args, { stdio: 'pipe' });

test('edits made during a 6 s network cut reach every page after it', async () => {
  if (process.env.PEERIX_NETNS !== '1') {
    throw new Error('this test takes the network interface down: it needs the private network namespace that `npm test` makes as root (scripts/netns.mjs)');
  }
  const room = `state-cut-${Math.random()}`;
  const pages = [];
  for (const [browser, name] of [[chromium, 'a'], [firefox, 'b'], [chromium, 'c']]) pages.push(await join(browser, room, name));
  try {
    await meshed(pages);
    await Promise.all(pages.map((p) => p.evaluate(() => window.edit(1000))));
    await converged(pages);
    ip('addr', 'del', '198.18.0.1/24', 'dev', 'v0');
    try {
      // Everyone keeps editing while the peers cannot reach each other.
      // The markers go in last: no one can see them to delete them before the network returns.
      await Promise.all(pages.map((p) => p.evaluate(async () => {
        await window.edit(5000, { prefix: `${name}-` });
        state.set(`cut-${name}`, { during: 'cut' });
        doc.getText('t').insert(0, `[cut by ${name}]`);
      })));
      await sleep(1000);
    } finally {
      ip('addr', 'add', '198.18.0.1/24', 'dev', 'v0');
      ip('route', 'replace', 'default', 'via', '198.18.0.2', 'dev', 'v0');
    }
    await meshed(pages);
    // The cut was real: every page saw its connections break before they came back.
    for (const page of pages) {
      const events = await page.evaluate(() => window.log.connection);
      assert.ok(events.some((e) => e === 'connection:disconnected' || e === 'connection:closed'), `${page.peerName} saw no break: ${events}`);
    }
    const final = await converged(pages, 90000);
    for (const name of ['a', 'b', 'c']) {
      assert.deepEqual(final.map[`cut-${name}`], { during: 'cut' });
      assert.ok(final.text.includes(`[cut by ${name}]`), `text has ${name}'s edit made during the cut`);
    }
    // Firefox reports the outage itself as a page error ("WebRTC: ICE failed, …"): that one is expected.
    await noErrors(pages, { expected: /WebRTC: ICE failed/ });
  } finally {
    for (const page of pages) await page.peerixClose();
  }
});
