// The HTML-only demo between Chromium and Firefox: video and keyboard chat in both directions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPeerPage, waitInPage } from './harness.mjs';
import { startDemoServer } from '../../scripts/start.mjs';

let server;
const browsers = {};
before(async () => {
  server = await startDemoServer({ port: 0, host: '127.0.0.1', log: () => {} });
  browsers.chromium = await launchBrowser('chromium');
  browsers.firefox = await launchBrowser('firefox');
});
after(async () => {
  await browsers.chromium?.close();
  await browsers.firefox?.close();
  await server?.close();
});

const tiles = () => {
  const videos = document.querySelector('peerix-conference')?.shadowRoot?.querySelector('peerix-remote-videos');
  return [...(videos?.shadowRoot?.querySelectorAll('figure[part~="tile"]') ?? [])];
};
const chatTexts = () => {
  const chat = document.querySelector('peerix-conference')?.shadowRoot?.querySelector('peerix-chat');
  return [...(chat?.shadowRoot?.querySelectorAll('[part="text"]') ?? [])].map((p) => p.textContent);
};

test('demo: a Chromium page and a Firefox page see each other (video frames) and chat both ways', { timeout: 120000 }, async () => {
  const room = `x-demo-${process.pid}`;
  const pages = [];
  for (const [kind, name] of [['chromium', 'Chromey'], ['firefox', 'Foxy']]) {
    const page = await openPeerPage(browsers[kind], `${server.url}?name=${name}&room=${room}`, { name });
    page.peerName = name;
    pages.push(page);
  }
  for (const [i, page] of pages.entries()) {
    const other = pages[1 - i].peerName;
    await waitInPage(page, ({ tiles, other }) => {
      const list = (0, eval)(tiles)();
      return list.length === 1 && list[0].querySelector('[part="name"]')?.textContent?.includes(other);
    }, { tiles: `(${tiles})`, other }, { timeout: 40000, message: `${page.peerName} sees ${other}'s tile` });
    const frames = await page.evaluate(async (tilesSrc) => {
      const video = (0, eval)(tilesSrc)()[0].querySelector('video');
      let n = 0;
      const tick = () => { n++; video.requestVideoFrameCallback(tick); };
      video.requestVideoFrameCallback(tick);
      await new Promise((r) => setTimeout(r, 2000));
      return n;
    }, `(${tiles})`);
    assert.ok(frames >= 5, `${page.peerName} renders ${frames} frames of ${other}`);
  }
  // Keyboard chat from each page to the other.
  for (const [i, page] of pages.entries()) {
    await page.evaluate(() => {
      const chat = document.querySelector('peerix-conference').shadowRoot.querySelector('peerix-chat');
      chat.shadowRoot.querySelector('input[part="input"]').focus();
    });
    await page.keyboard.type(`hi from ${page.peerName}`);
    await page.keyboard.press('Enter');
    const other = pages[1 - i];
    await waitInPage(other, ({ texts, line }) => (0, eval)(texts)().includes(line), { texts: `(${chatTexts})`, line: `hi from ${page.peerName}` }, { message: `${other.peerName} got the chat line` });
  }
  assert.deepEqual(pages.flatMap((p) => p.peerixErrors), []);
  for (const page of pages) await page.peerixClose();
});
