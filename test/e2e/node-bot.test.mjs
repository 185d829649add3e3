// examples/bot.mjs as users run it (its own Node process, MQTT over TCP,
// @roamhq/wrtc), against the engine from src/, with a Chromium page in the room:
// the bot greets the page by name, answers /time, echoes a 3 MiB file, and
// leaves when stopped.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, launchChromium, openPeerPage, startStaticServer, waitInPage } from './harness.mjs';
import { bundleEngine, patternBytes, sha256 } from './node-peer.mjs';
import { startMosquitto } from '../servers/mosquitto.mjs';
import { spawnLogged, stopChild } from '../servers/process.mjs';

let web, browser, broker, dir, bot, page;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'peerix-bot-'));
  await bundleEngine(join(dir, 'peerix.mjs'));
  broker = await startMosquitto();
  web = await startStaticServer();
  browser = await launchChromium();
});
after(async () => {
  await page?.peerixClose().catch(() => {});
  await stopChild(bot);
  await browser?.close();
  await web?.close();
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the example bot greets by name, answers /time and echoes a file', async () => {
  const room = `bot-${Math.random().toString(36).slice(2)}`;
  bot = spawnLogged(process.execPath, ['--import', join(ROOT, 'test/e2e/peerix-from-source.mjs'), join(ROOT, 'examples/bot.mjs')], {
    cwd: ROOT,
    env: { ...process.env, PEERIX_BUNDLE: join(dir, 'peerix.mjs'), PEERIX_URL: broker.mqttUrl, PEERIX_ROOM: room, PEERIX_PREFIX: 'mesh/', PEERIX_NAME: 'Bot' },
  });
  const deadline = Date.now() + 20000;
  while (!bot.output().includes('bot: joined')) {
    assert.equal(bot.exitCode, null, `the bot exited:\n${bot.output()}`);
    assert.ok(Date.now() < deadline, `the bot did not join within 20 s:\n${bot.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  page = await openPeerPage(browser, `${web.url}/test/e2e/pages/drivers-mesh.html`, { name: 'Ana' });
  await waitInPage(page, () => window.ready === true, undefined, { message: 'page ready' });
  await page.evaluate((o) => window.start(o), { kind: 'mqtt', url: broker.url, room, name: 'Ana', mqttVersion: 5 });
  await page.evaluate(() => {
    window.chat = [];
    window.files = [];
    window.peer.open({ label: 'chat', ordered: true });
    window.peer.open({ label: 'files', ordered: true });
    window.peer.on('channel:message', async ({ label, data }) => {
      if (label === 'chat') window.chat.push(JSON.parse(data).text);
      if (label === 'files' && typeof data !== 'string') {
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
        window.files.push([...digest].map((b) => b.toString(16).padStart(2, '0')).join(''));
      }
    });
  });

  await waitInPage(page, () => window.chat.some((t) => t.startsWith('Hello, Ana!')), undefined, { timeout: 30000, message: 'the bot greeting Ana by name' });
  await page.evaluate(() => window.peer.send(JSON.stringify({ text: '/time', time: Date.now() }), { label: 'chat' }));
  const answer = await (await waitInPage(page, () => window.chat.find((t) => t.startsWith('It is ')), undefined, { message: 'the answer to /time' })).jsonValue();
  const said = Date.parse(answer.slice('It is '.length, -1));
  assert.ok(Math.abs(said - Date.now()) < 60000, `the bot's time is now: ${answer}`);

  const file = patternBytes(3 * 1024 * 1024, 5);
  await page.evaluate(async ([size, seed]) => {
    const bytes = new Uint8Array(size);
    let x = seed >>> 0 || 1;
    for (let i = 0; i < size; i += 4) {
      x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      bytes[i] = x & 255; bytes[i + 1] = (x >>> 8) & 255; bytes[i + 2] = (x >>> 16) & 255; bytes[i + 3] = x >>> 24;
    }
    await window.peer.send(bytes, { label: 'files' });
  }, [file.length, 5]);
  await waitInPage(page, (h) => window.files.includes(h), sha256(file), { timeout: 30000, message: 'the 3 MiB file echoed back' });

  // SIGTERM: the bot leaves, and the page sees it go.
  await stopChild(bot);
  await waitInPage(page, () => window.state.closed.includes('Bot'), undefined, { timeout: 3000, message: 'the page seeing the bot leave' });
  assert.equal(bot.exitCode, 0, `the bot exited cleanly:\n${bot.output()}`);
  assert.doesNotMatch(bot.output(), /unhandled rejection/);
  assert.deepEqual(page.peerixErrors, []);
});
