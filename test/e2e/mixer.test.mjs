// Mixer + Recorder across pages, in Chromium and in Firefox: three pages share
// a solid colour and a tone each over a real MQTT broker (aedes); the first page
// mixes the room (its own share included) and checks the mix's cells (pixels),
// its spectrum (FFT), that a leave empties a cell, and that a recording of the
// mix plays back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { ROOT, launchBrowser, openPeerPage, sleep, startStaticServer, waitInPage } from './harness.mjs';
import { startEmbeddedBroker } from '../../servers/embedded-broker.mjs';

let server;
let broker;
let media;

/** The engine and both add-ons in one module, so the pages share one engine. */
async function mediaBundle(req, res) {
  media ??= build({
    stdin: { contents: "export * from './src/index.ts'; export * from './src/addons/mixer/index.ts'; export * from './src/addons/recorder/index.ts';", resolveDir: ROOT, loader: 'ts' },
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent',
  }).then((r) => r.outputFiles[0].text);
  res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
  res.end(await media);
}

before(async () => {
  server = await startStaticServer({ routes: { '/__media/peerix-media.js': mediaBundle } });
  broker = await startEmbeddedBroker({ port: 0 });
});
after(async () => {
  await broker?.close();
  await server?.close();
});

/** A tone counts as present above this level (a full-scale sine reads about -28 dB here; silence below -150). */
const PRESENT_DB = -60;

const PEERS = [
  { name: 'red', colour: '#f00', rgb: [255, 0, 0], tone: 440 },
  { name: 'green', colour: '#0f0', rgb: [0, 255, 0], tone: 880 },
  { name: 'blue', colour: '#00f', rgb: [0, 0, 255], tone: 1320 },
];

for (const kind of ['chromium', 'firefox']) {
  test(`${kind}: three pages mixed into one grid and one audio track; a leave empties its cell; the mix records`, { timeout: 240000 }, async () => {
    const browser = await launchBrowser(kind);
    try {
      const room = `mix-${Math.random()}`;
      const pages = [];
      for (const [i, p] of PEERS.entries()) {
        const page = await openPeerPage(browser, `${server.url}/test/e2e/pages/mixer.html`, { name: p.name });
        await waitInPage(page, () => window.ready === true, undefined, { message: 'page ready' });
        await page.evaluate((o) => window.start(o), { url: broker.url, room, name: p.name, colour: p.colour, tone: p.tone, mix: i === 0 });
        pages.push(page);
      }
      const [mixing, , leaving] = pages;
      const step = (what) => console.log(`# ${kind}: ${what}`);
      step('pages joined');
      await waitInPage(mixing, () => mixer.sources.length === 3, undefined, { timeout: 60000, message: 'three sources in the mix' }).catch(async (error) => {
        const seen = await Promise.all(pages.map((page) => page.evaluate(() => ({
          connections: [...peer.connections.values()].map((r) => `${r.metadata.name}:${r.state}:${r.streams.length}`),
          sources: window.mixer?.sources.map((s) => s.name),
          errors: state.errors,
        }))));
        throw new Error(`${error.message}\n${JSON.stringify(seen)}`);
      });
      assert.deepEqual(await mixing.evaluate(() => mixer.sources.map((s) => s.name).sort()), ['blue', 'green', 'red']);
      step('three sources');
      await waitInPage(mixing, (rgbs) => window.cellsShow(3, rgbs), PEERS.map((p) => p.rgb), { timeout: 30000, message: 'red, green and blue cells' });

      step('three coloured cells');
      // Audio may start flowing a moment after the pictures: listen until every tone is there.
      let spectrum;
      const heard = Date.now();
      do spectrum = await mixing.evaluate((f) => window.spectrum(f), [...PEERS.map((p) => p.tone), 660]);
      while (spectrum.at.slice(0, 3).some((db) => db < PRESENT_DB) && Date.now() - heard < 30000);
      const { at } = spectrum;
      console.log(`# ${kind}: mix spectrum 440/880/1320/660 Hz: ${at.map((x) => x.toFixed(0)).join(' / ')} dB`);
      for (const [i, p] of PEERS.entries()) assert.ok(at[i] > PRESENT_DB, `${p.tone} Hz in the mix (${at[i]} dB)`);
      assert.ok(at[3] < Math.min(...at.slice(0, 3)) - 30, `no 660 Hz tone (${at[3]} dB)`);

      step('three tones');
      const gone = mixing.evaluate(([rgb]) => window.whenGone(rgb, 2), [PEERS[2].rgb]);
      const left = Date.now();
      await leaving.evaluate(() => peer.leave());
      const emptied = (await gone) - left;
      console.log(`# ${kind}: the leaver's cell emptied ${emptied} ms after leave()`);
      await waitInPage(mixing, () => mixer.sources.length === 2, undefined, { timeout: 10000, message: 'the leaver out of the sources' });
      assert.ok(await mixing.evaluate((rgbs) => window.cellsShow(2, rgbs), PEERS.slice(0, 2).map((p) => p.rgb)), 'red and green remain');

      step('leave followed');
      const rec = await mixing.evaluate(() => window.recordMix(3000));
      console.log(`# ${kind}: 3 s recording of the mix: ${rec.type}, ${rec.size} B, ${rec.duration.toFixed(2)} s, ${rec.frames} frames, ${rec.width}×${rec.height}`);
      assert.ok(rec.duration >= 2.5, `duration ${rec.duration}`);
      assert.ok(rec.frames > 10, `frames ${rec.frames}`);
      assert.deepEqual([rec.width, rec.height], [640, 360]);
      // The grid of two while recording: red and green cells in the played-back frames.
      const nearRgb = (c, t) => c.every((v, i) => Math.abs(v - t[i]) <= 40);
      assert.ok(rec.seen.some((cells) => PEERS.slice(0, 2).every((p) => cells.some((c) => nearRgb(c, p.rgb)))), 'the recording shows the cells');
      for (const page of pages) assert.deepEqual(page.peerixErrors, []);
      for (const page of pages) await page.peerixClose();
    } finally {
      await browser.close();
    }
  });
}

test('firefox: the mix keeps its frame rate in a hidden tab (worker timer), where requestAnimationFrame stops', { timeout: 120000 }, async () => {
  const browser = await launchBrowser('firefox');
  try {
    const context = await browser.createBrowserContext();
    const page = await context.newPage({ type: 'window' });
    await page.goto(`${server.url}/test/e2e/pages/mixer.html`);
    await waitInPage(page, () => window.ready === true, undefined, { message: 'page ready' });
    await page.evaluate(() => {
      const canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 240 });
      canvas.getContext('2d').fillRect(0, 0, 320, 240);
      window.mixer = new peerix.Mixer({ width: 640, height: 360, frameRate: 15 });
      mixer.add(canvas.captureStream(15), { name: 'source' });
      window.ticks = 0;
      setInterval(() => ticks++, 20);
      window.rafs = 0;
      const frame = () => {
        rafs++;
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    const cover = await context.newPage({ type: 'tab' }); // the mixer's tab goes to the background
    await cover.goto('about:blank');
    await waitInPage(page, () => document.hidden, undefined, { timeout: 10000, message: 'the mixer tab hidden' });
    const before = await page.evaluate(() => [mixer.frames, ticks, rafs]);
    await sleep(3000);
    const after = await page.evaluate(() => [mixer.frames, ticks, rafs]);
    const [frames, ticks, rafs] = after.map((n, i) => n - before[i]);
    console.log(`# firefox, hidden tab, 3 s: ${frames} mixer frames (15 fps asked), ${rafs} requestAnimationFrame callbacks, ${ticks} ticks of a 20 ms page timer (150 unthrottled)`);
    // The tab is really in the background: a requestAnimationFrame loop, as a canvas
    // compositor would use, got (next to) nothing meanwhile; the mixer kept composing.
    assert.ok(rafs < frames / 3, `requestAnimationFrame ran ${rafs} times in the hidden tab`);
    assert.ok(frames >= 15, `the mixer kept composing while hidden (${frames} frames in 3 s)`);
    await context.close();
  } finally {
    await browser.close();
  }
});
