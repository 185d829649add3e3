// The "record this call" demo (demo/record.html) served by `npm start`'s
// server: two pages in a call; one records the mix and the chat, and gets a
// WebM that plays and an NDJSON log holding the other page's message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, openPeerPage, waitInPage, sleep } from './harness.mjs';
import { startDemoServer } from '../../scripts/start.mjs';

let server;
let browser;
before(async () => {
  server = await startDemoServer({ port: 0, host: '127.0.0.1', log: () => {} });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('record.html records the mixed call and its chat', { timeout: 120000 }, async () => {
  const room = `record-${process.pid}`;
  const pages = [];
  for (const name of ['Ana', 'Ben']) pages.push(await openPeerPage(browser, new URL(`record.html?name=${name}&room=${room}`, server.url).href, { name }));
  const [recording, other] = pages;
  await waitInPage(recording, () => window.mixer?.sources.length === 2, undefined, { timeout: 40000, message: 'Ana mixes herself and Ben' }).catch(async (error) => {
    const seen = await Promise.all(pages.map((p) => p.evaluate(() => ({ log: document.querySelector('#log')?.textContent, sources: window.mixer?.sources.map((s) => s.name), errors: window.peer ? 'peer' : 'no peer' }))));
    throw new Error(`${error.message} ${JSON.stringify(seen)} ${pages.flatMap((p) => p.peerixErrors)}`);
  });
  assert.deepEqual(await recording.evaluate(() => mixer.sources.map((s) => s.name).sort()), ['Ana', 'Ben']);

  await recording.click('#record');
  await waitInPage(recording, () => document.querySelector('#status').textContent.startsWith('Recording'), undefined, { message: 'recording' });
  await other.fill('#send input', 'hello from Ben');
  await other.click('#send button');
  await waitInPage(recording, () => document.querySelector('#log').textContent.includes('Ben: hello from Ben'), undefined, { timeout: 20000, message: "Ben's message at Ana" });
  await sleep(3000);
  await recording.click('#record');
  await waitInPage(recording, () => document.querySelectorAll('#recordings a').length === 2, undefined, { timeout: 20000, message: 'two downloads' });

  const result = await recording.evaluate(async () => {
    const [video, chat] = [...document.querySelectorAll('#recordings a')];
    const lines = (await (await fetch(chat.href)).text()).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const player = Object.assign(document.createElement('video'), { muted: true, src: video.href });
    await new Promise((r) => player.addEventListener('loadedmetadata', r, { once: true }));
    return { file: video.download, chat: chat.download, width: player.videoWidth, height: player.videoHeight, lines };
  });
  assert.match(result.file, /^call-.*\.webm$/);
  assert.match(result.chat, /^chat-.*\.ndjson$/);
  assert.deepEqual([result.width, result.height], [1280, 720]);
  assert.deepEqual(result.lines.map(({ label, data }) => ({ label, data })), [{ label: 'chat', data: 'hello from Ben' }]);
  for (const page of pages) assert.deepEqual(page.peerixErrors, []);
  for (const page of pages) await page.peerixClose();
});
