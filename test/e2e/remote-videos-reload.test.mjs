// Regression (issue #16, point 3): in a 3-way call of the demo (HTML only,
// <peerix-conference>), each <video> is given its stream once. A video whose
// srcObject is assigned again reloads (emptied → loadstart → play) and flashes
// black; the speaking indicator re-renders the tiles several times a second,
// and a `.srcObject` binding re-assigned the same stream on each render.
//
// Counted per <video> element from its first assignment (an init script wraps the
// srcObject setter): assignments of the stream it already has, and `loadstart`
// events beyond one per distinct stream. Robust to a connection rebuilt under
// load (a new stream is a legitimate load; the same one again is the bug).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, waitInPage } from './harness.mjs';
import { startDemoServer } from '../../scripts/start.mjs';

const NAMES = ['Alice', 'Bob', 'Carol'];
const WATCH_MS = 10000;

let server;
let browser;

before(async () => {
  server = await startDemoServer({ port: 0, httpsPort: null, host: '127.0.0.1', log: () => {} });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

function countAssignments() {
  window.__videos = [];
  const property = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject');
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
    configurable: true,
    enumerable: true,
    get() {
      return property.get.call(this);
    },
    set(value) {
      let stats = this.__stats;
      if (!stats) {
        stats = this.__stats = { streams: new Set(), repeated: 0, loadstart: 0, emptied: 0 };
        window.__videos.push(stats);
        this.addEventListener('loadstart', () => stats.loadstart++);
        this.addEventListener('emptied', () => stats.emptied++);
      }
      if (value && value === property.get.call(this)) stats.repeated++;
      if (value) stats.streams.add(value.id);
      property.set.call(this, value);
    },
  });
}

const REMOTE_TILES = `(() => {
  const conf = document.querySelector('peerix-conference');
  const remote = conf?.shadowRoot?.querySelector('peerix-remote-videos')?.shadowRoot;
  return [...(remote?.querySelectorAll('video') ?? [])].filter((v) => v.srcObject).length;
})()`;

test(`in a 3-way call no <video> is given the same stream again (${WATCH_MS / 1000} s watched after the call formed)`, { timeout: 300000 }, async () => {
  const contexts = [];
  const pages = [];
  try {
    for (const name of NAMES) {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
      contexts.push(context);
      await context.addInitScript(countAssignments);
      const page = await context.newPage();
      page.errors = [];
      page.on('pageerror', (e) => page.errors.push(`${name}: ${e.message}`));
      await page.goto(`${server.url}?name=${name}&room=reload-${process.pid}`);
      pages.push(page);
    }
    for (const [i, page] of pages.entries()) {
      await waitInPage(page, (tiles) => eval(tiles) === 2, REMOTE_TILES, { timeout: 120000, message: `${NAMES[i]} shows two remote videos` });
    }
    await new Promise((r) => setTimeout(r, WATCH_MS)); // speech toggles the speaking indicator meanwhile
    const stats = await Promise.all(pages.map((page) => page.evaluate(() => window.__videos.map((s) => ({ streams: s.streams.size, repeated: s.repeated, loadstart: s.loadstart, emptied: s.emptied })))));
    for (const [i, videos] of stats.entries()) {
      assert.ok(videos.length >= 3, `${NAMES[i]}: the preview and two remote videos were counted (${videos.length})`);
      for (const v of videos) {
        assert.equal(v.repeated, 0, `${NAMES[i]}: a video was given the stream it already had ${v.repeated} times: ${JSON.stringify(v)}`);
        assert.ok(v.loadstart <= v.streams, `${NAMES[i]}: a video loaded ${v.loadstart} times for ${v.streams} stream(s): ${JSON.stringify(v)}`);
      }
    }
    assert.deepEqual(pages.flatMap((p) => p.errors), []);
  } finally {
    for (const context of contexts) await context.close().catch(() => {});
  }
});
