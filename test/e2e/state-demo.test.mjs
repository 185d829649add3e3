// The shared-state demos as `npm start` serves them (built dist/, embedded MQTT broker):
// two pages of demo/state.html share a to-do list, two of demo/yjs.html type into one text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { launchChromium, openPeerPage, waitInPage, ROOT } from './harness.mjs';
import { startDemoServer } from '../../scripts/start.mjs';

let server;
let browser;
const pages = [];

before(async () => {
  server = await startDemoServer({ port: 0, host: '127.0.0.1', log: () => {} });
  // A dist/ built before the Yjs copy for the demo existed lacks it.
  if (!existsSync(join(ROOT, 'dist/vendor/yjs.js'))) {
    assert.equal(spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' }).status, 0, 'build failed');
  }
  browser = await launchChromium();
});

after(async () => {
  for (const page of pages) await page.peerixClose().catch(() => {});
  await browser?.close();
  await server?.close();
});

async function open(path, name, room) {
  const page = await openPeerPage(browser, `${server.url}${path}?name=${name}&room=${room}`, { name });
  pages.push(page);
  return page;
}

test('demo/state.html: an item added in one page appears in the other, and ticking it shows there', { timeout: 120000 }, async () => {
  const room = `todos-${process.pid}-${Math.random()}`;
  const ana = await open('state.html', 'Ana', room);
  const ben = await open('state.html', 'Ben', room);
  for (const page of [ana, ben]) await waitInPage(page, () => /with 1 other peer/.test(document.querySelector('#status').textContent), undefined, { timeout: 60000, message: 'connected' });
  await ana.fill('#add input[name=text]', 'Buy <b>milk</b>');
  await ana.click('#add button');
  await waitInPage(ben, () => document.querySelector('#todos li span')?.textContent === 'Buy <b>milk</b>', undefined, { message: 'the item at Ben' });
  assert.equal(await ben.evaluate(() => document.querySelector('#todos li b')), null, 'remote text is never HTML');
  await ben.click('#todos li input[type=checkbox]');
  await waitInPage(ana, () => document.querySelector('#todos li')?.classList.contains('done'), undefined, { message: 'ticked at Ana' });
  assert.deepEqual([...ana.peerixErrors, ...ben.peerixErrors], []);
});

test('demo/yjs.html: text typed in either page appears in both, with presence', { timeout: 120000 }, async () => {
  const room = `notes-${process.pid}-${Math.random()}`;
  const ana = await open('yjs.html', 'Ana', room);
  const ben = await open('yjs.html', 'Ben', room);
  for (const page of [ana, ben]) {
    await waitInPage(page, () => /Ana/.test(document.querySelector('#people').textContent) && /Ben/.test(document.querySelector('#people').textContent), undefined, { timeout: 60000, message: 'both present' });
  }
  await ana.type('#text', 'hello');
  await waitInPage(ben, () => document.querySelector('#text').value === 'hello', undefined, { message: 'Ana\'s text at Ben' });
  await ben.focus('#text');
  await ben.evaluate(() => document.querySelector('#text').setSelectionRange(5, 5));
  await ben.keyboard.type(' world');
  await waitInPage(ana, () => document.querySelector('#text').value === 'hello world', undefined, { message: 'Ben\'s text at Ana' });
  assert.deepEqual([...ana.peerixErrors, ...ben.peerixErrors], []);
});
