// Call recording end to end: three pages of the demo (<peerix-conference recording>).
// One page records 3 s with <peerix-record-button>: the others see the recording
// notice on its tile and in their headers while it runs; the file is offered for
// download and plays back (duration, decoded frames). Chromium, then Firefox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, openPeerPage, waitInPage, sleep, ROOT } from './harness.mjs';
import { startDemoServer } from '../../scripts/start.mjs';

const NAMES = ['Alice', 'Bob', 'Carol'];

let server;
before(async () => {
  server = await startDemoServer({ port: 0, httpsPort: null, host: '127.0.0.1', log: () => {} });
});
after(async () => {
  await server?.close();
});

const conf = () => document.querySelector('peerix-conference');
const tilesSrc = `(() => [...(document.querySelector('peerix-conference')?.shadowRoot?.querySelector('peerix-remote-videos')?.shadowRoot?.querySelectorAll('figure[part~="tile"]') ?? [])])`;

for (const kind of ['chromium', 'firefox']) {
  test(`${kind}: a 3 s recording downloads and plays; the others see that it records`, { timeout: 240000 }, async () => {
    const browser = await launchBrowser(kind);
    const pages = [];
    try {
      const room = `rec-${kind}-${process.pid}`;
      for (const name of NAMES) pages.push(await openPeerPage(browser, `${server.url}?room=${room}&name=${name}`, { name }));
      for (const [i, page] of pages.entries()) {
        await waitInPage(page, (src) => (0, eval)(src)().length === 2, tilesSrc, { timeout: 60000, message: `${NAMES[i]} sees two tiles` });
      }
      const [alice, bob, carol] = pages;
      await alice.evaluate(() => {
        window.__errors = [];
        document.addEventListener('peerix-recording', (event) => {
          window.__recording = event.detail;
        });
        document.addEventListener('peerix-error', (event) => window.__errors.push(event.detail.message));
      });
      const button = () => document.querySelector('peerix-conference').shadowRoot.querySelector('peerix-record-button').shadowRoot.querySelector('button[part~="record-button"]');
      const before = await alice.evaluate((src) => ({ label: (0, eval)(src)().getAttribute('aria-label'), pressed: (0, eval)(src)().getAttribute('aria-pressed') }), `(${button})`);
      assert.deepEqual(before, { label: 'Start recording', pressed: 'false' });
      await alice.evaluate((src) => (0, eval)(src)().click(), `(${button})`);
      // The recording code loads on the first start (its own chunk): the button turns once it has.
      await waitInPage(alice, (src) => (0, eval)(src)().getAttribute('aria-pressed') === 'true', `(${button})`, { timeout: 15000, message: 'Alice: recording started' });
      const started = Date.now();
      const during = await alice.evaluate((src) => ({ label: (0, eval)(src)().getAttribute('aria-label'), pressed: (0, eval)(src)().getAttribute('aria-pressed') }), `(${button})`);
      assert.deepEqual(during, { label: 'Stop recording', pressed: 'true' });

      // Consent: Bob and Carol see it on Alice's tile and in their headers.
      for (const [page, name] of [[bob, 'Bob'], [carol, 'Carol']]) {
        const seen = waitInPage(
          page,
          (src) => {
            const tile = (0, eval)(src)().find((t) => t.querySelector('[part="name"]')?.textContent?.includes('Alice'));
            const header = document.querySelector('peerix-conference').shadowRoot.querySelector('[part="recording-indicator"]');
            return tile?.hasAttribute('recording') && tile.querySelector('[part~="recording-badge"]')?.textContent === 'Recording' && header?.textContent.includes('Recording');
          },
          tilesSrc,
          { timeout: 60000, message: `${name} sees that Alice records` },
        );
        await seen.catch(async (error) => {
          throw new Error(`${error.message}; Alice's errors: ${await alice.evaluate(() => window.__errors.join('; '))}`);
        });
      }
      await waitInPage(alice, () => document.querySelector('peerix-conference').hasAttribute('others-recording'), undefined, { message: 'Alice sees her own recording notice' });

      await sleep(Math.max(0, 3000 - (Date.now() - started)));
      await alice.evaluate((src) => (0, eval)(src)().click(), `(${button})`);
      await waitInPage(alice, () => !!window.__recording, undefined, { timeout: 30000, message: 'the recording event' });

      // It plays: a duration of about 3 s and decoded frames.
      const played = await alice.evaluate(async () => {
        const { blob, mimeType } = window.__recording;
        const video = document.createElement('video');
        video.muted = true;
        video.src = URL.createObjectURL(blob);
        document.body.append(video);
        await new Promise((resolve, reject) => { video.onloadedmetadata = resolve; video.onerror = () => reject(new Error('cannot load the recording')); });
        // MediaRecorder's WebM carries no duration: seeking far makes the browser find it.
        if (!Number.isFinite(video.duration)) {
          video.currentTime = 1e6;
          await new Promise((resolve) => { video.ondurationchange = () => Number.isFinite(video.duration) && resolve(); setTimeout(resolve, 5000); });
          video.currentTime = 0;
        }
        // Played to the end (generous time on a busy machine): frames decoded, not a count per second.
        let painted = 0;
        const tick = () => { painted++; video.requestVideoFrameCallback(tick); };
        video.requestVideoFrameCallback(tick);
        const ended = new Promise((resolve) => { video.onended = resolve; });
        await video.play();
        await Promise.race([ended, new Promise((r) => setTimeout(r, 60000))]);
        video.pause();
        const decoded = video.getVideoPlaybackQuality?.().totalVideoFrames ?? 0;
        return { size: blob.size, mimeType, duration: video.duration, recorded: window.__recording.duration / 1000, frames: Math.max(painted, decoded), width: video.videoWidth };
      });
      const summary = JSON.stringify(played);
      assert.ok(played.size > 10000, `a recording of ${played.size} bytes: ${summary}`);
      assert.match(played.mimeType, /^video\//);
      // At least the 3 s recorded; on a busy machine the stop may land later, so compare with the time it ran.
      assert.ok(played.recorded >= 3, `recorded for ${played.recorded} s`);
      // Playback against the time recorded, generously. Never longer. Shorter, yes: on a starved machine
      // Chromium's encoder falls far behind (measured: 3.3 s kept of 7.5 s, every chunk delivered only after
      // the stop), so the floor is a third of the 3 s asked for, not a share of the wall-clock time.
      assert.ok(played.duration >= 1 && played.duration <= played.recorded + 1, `plays for ${played.duration} s of ${played.recorded} s recorded: ${summary}`);
      // Pictures decoded, not a rate: the same mix records ~15 fps alone, but three calling pages on a
      // starved machine left 3 frames in a 3 s file.
      assert.ok(played.frames >= 2, `${played.frames} frames decoded: ${summary}`);
      assert.ok(played.width > 0);

      // Offered for download.
      const linkSrc = `(() => document.querySelector('peerix-conference').shadowRoot.querySelector('peerix-record-button').shadowRoot.querySelector('a[part="download-link"]'))`;
      const link = await alice.evaluate((src) => { const a = (0, eval)(src)(); return { download: a.getAttribute('download'), text: a.textContent }; }, linkSrc);
      assert.match(link.download, /^recording-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.(webm|mp4)$/);
      assert.match(link.text, /Download recording/);
      if (kind === 'chromium') {
        const [download] = await Promise.all([alice.waitForEvent('download'), alice.evaluate((src) => (0, eval)(src)().click(), linkSrc)]);
        assert.equal(download.suggestedFilename(), link.download);
        assert.equal((await stat(await download.path())).size, played.size);
      }

      // Stopped: the notices go away.
      for (const page of [bob, carol]) {
        await waitInPage(page, () => !document.querySelector('peerix-conference').hasAttribute('others-recording'), undefined, { timeout: 20000, message: 'the notice clears' });
      }
      assert.deepEqual(pages.flatMap((p) => p.peerixErrors), []);

      // Screenshots of the call with three participants: wide and phone-sized, chat open and closed.
      if (kind === 'chromium') {
        const out = join(ROOT, 'test-output');
        mkdirSync(out, { recursive: true });
        for (const [width, height] of [[1280, 800], [390, 844]]) {
          await bob.setViewportSize({ width, height });
          for (const chat of ['open', 'closed']) {
            await bob.evaluate(async (collapsed) => {
              const chatElement = document.querySelector('peerix-conference').shadowRoot.querySelector('peerix-chat');
              chatElement.collapsed = collapsed;
              await chatElement.updateComplete;
            }, chat === 'closed');
            await sleep(300);
            await bob.screenshot({ path: join(out, `conference-${width}x${height}-chat-${chat}.png`) });
          }
        }
      }
    } finally {
      for (const page of pages) await page.peerixClose?.().catch(() => {});
      await browser.close();
    }
  });
}
