// Regression (issue #16, point 3): in a 3-way call of the demo (HTML only,
// <peerix-conference>), each remote <video> is given its stream once. A video
// whose srcObject is assigned again reloads (emptied → loadstart → play) and
// flashes black; the speaking indicator re-renders the tiles several times a
// second, which re-assigned it each time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, openPeerPage, waitInPage } from './harness.mjs';
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

/** Every <video> of the conference (remote tiles and the local preview), through the shadow roots. */
const VIDEOS = `(() => {
  const conf = document.querySelector('peerix-conference');
  const remote = conf?.shadowRoot?.querySelector('peerix-remote-videos')?.shadowRoot;
  const local = conf?.shadowRoot?.querySelector('peerix-local-media')?.shadowRoot;
  return { remote: [...(remote?.querySelectorAll('video') ?? [])], local: [...(local?.querySelectorAll('video') ?? [])] };
})()`;

test(`in a 3-way call no video reloads over ${WATCH_MS / 1000} s (loadstart/emptied counted per video)`, { timeout: 120000 }, async () => {
  const pages = [];
  for (const name of NAMES) pages.push(await openPeerPage(browser, `${server.url}?name=${name}&room=reload-${process.pid}`, { name }));
  try {
    for (const [i, page] of pages.entries()) {
      await waitInPage(page, ({ videos }) => {
        const { remote, local } = eval(videos);
        return remote.length === 2 && local.length === 1 && [...remote, ...local].every((v) => v.srcObject);
      }, { videos: VIDEOS }, { timeout: 40000, message: `${NAMES[i]} has two remote videos and the preview` });
    }
    await new Promise((r) => setTimeout(r, 2000)); // the first load of each is not counted
    // Count from now on, in every page at once.
    await Promise.all(pages.map((page) => page.evaluate((videos) => {
      const { remote, local } = eval(videos);
      window.__watched = [...remote, ...local].map((video, i) => {
        const entry = { video, kind: i < remote.length ? 'remote' : 'local', loadstart: 0, emptied: 0, frames: 0 };
        video.addEventListener('loadstart', () => entry.loadstart++);
        video.addEventListener('emptied', () => entry.emptied++);
        const tick = () => {
          entry.frames++;
          video.requestVideoFrameCallback(tick);
        };
        video.requestVideoFrameCallback(tick);
        return entry;
      });
    }, VIDEOS)));
    await new Promise((r) => setTimeout(r, WATCH_MS));
    const reports = await Promise.all(pages.map((page) => page.evaluate((videos) => {
      const { remote, local } = eval(videos);
      const now = [...remote, ...local];
      return {
        videos: window.__watched.map(({ kind, loadstart, emptied, frames, video }) => ({ kind, loadstart, emptied, frames, stillThere: now.includes(video) })),
      };
    }, VIDEOS)));
    for (const [i, report] of reports.entries()) {
      for (const v of report.videos) {
        assert.equal(v.loadstart, 0, `${NAMES[i]}: a ${v.kind} video reloaded ${v.loadstart} times in ${WATCH_MS / 1000} s`);
        assert.equal(v.emptied, 0, `${NAMES[i]}: a ${v.kind} video was emptied ${v.emptied} times`);
        assert.ok(v.stillThere, `${NAMES[i]}: a ${v.kind} <video> element was replaced`);
        assert.ok(v.frames >= 5, `${NAMES[i]}: a ${v.kind} video rendered ${v.frames} frames in ${WATCH_MS / 1000} s`);
      }
    }
    assert.deepEqual(pages.flatMap((p) => p.peerixErrors), []);
  } finally {
    for (const page of pages) await page.peerixClose?.().catch(() => {});
  }
});
