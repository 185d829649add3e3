// End to end: three pages in separate browser contexts open the demo served by
// `npm start`'s server (HTML only: <peerix-conference driver="mqtt">, with the
// embedded MQTT broker on the same origin) and hold a call.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, openPeerPage, waitInPage, sleep, ROOT } from './harness.mjs';
import { startDemoServer } from '../../scripts/start.mjs';

const OUT = join(ROOT, 'test-output');
const NAMES = ['Alice', 'Bob', 'Carol'];

let server;
let browser;
const pages = [];

/** In-page helpers: the tiles of <peerix-conference> → <peerix-remote-videos>. */
const TILES = `(() => {
  const conf = document.querySelector('peerix-conference');
  const videos = conf?.shadowRoot?.querySelector('peerix-remote-videos');
  return [...(videos?.shadowRoot?.querySelectorAll('figure[part~="tile"]') ?? [])];
})()`;

before(async () => {
  server = await startDemoServer({ port: 0, host: '127.0.0.1', log: () => {} });
  browser = await launchChromium();
  mkdirSync(OUT, { recursive: true });
});

after(async () => {
  for (const page of pages) if (!page.isClosed()) await page.context().close().catch(() => {});
  await browser?.close();
  await server?.close();
});

test('three pages of the demo hold a call', { timeout: 120000 }, async () => {
  for (const name of NAMES) {
    const page = await openPeerPage(browser, `${server.url}?name=${name}&room=e2e-${process.pid}`, { name });
    await page.setViewportSize({ width: 1100, height: 800 });
    pages.push(page);
  }

  // Each shows two remote tiles, with names, rendering frames.
  for (const [i, page] of pages.entries()) {
    const others = NAMES.filter((_, j) => j !== i);
    await waitInPage(
      page,
      ({ tiles, others }) => {
        const list = eval(tiles);
        const names = list.map((t) => t.querySelector('[part="name"]')?.textContent?.trim());
        return list.length === 2 && others.every((n) => names.includes(n));
      },
      { tiles: TILES, others },
      { timeout: 40000, message: `${NAMES[i]} sees two named tiles` },
    );
  }
  // Screenshots for review: Alice's page at 1280×800 and 390×844 (three people), taken before the checks below so a slow machine still leaves them, chat open and closed.
  const alice = pages[0];
  const chatButton = alice.locator('peerix-conference').locator('button[part~="chat-button"]');
  const chatOpen = () => alice.evaluate(() => document.querySelector('peerix-conference').chatOpen);
  for (const [width, height] of [[1280, 800], [390, 844]]) {
    await alice.setViewportSize({ width, height });
    for (const open of [true, false]) {
      if ((await chatOpen()) !== open) await chatButton.click();
      await waitInPage(alice, (o) => document.querySelector('peerix-conference').chatOpen === o, open, { message: `chat ${open ? 'open' : 'closed'}` });
      await waitInPage(alice, ({ tiles }) => eval(tiles).every((t) => t.querySelector('video').videoWidth > 0), { tiles: TILES }, { message: 'tiles playing' });
      await alice.screenshot({ path: join(OUT, `conference-${width}x${height}-chat-${open ? 'open' : 'closed'}.png`) });
    }
  }
  await chatButton.click();
  await alice.setViewportSize({ width: 1100, height: 800 });

  for (const [i, page] of pages.entries()) {
    const frames = await page.evaluate(async (tiles) => {
      const videos = eval(tiles).map((t) => t.querySelector('video'));
      const counts = videos.map(() => 0);
      videos.forEach((v, k) => {
        const tick = () => {
          counts[k]++;
          v.requestVideoFrameCallback(tick);
        };
        v.requestVideoFrameCallback(tick);
      });
      await new Promise((r) => setTimeout(r, 1500));
      return counts;
    }, TILES);
    assert.ok(frames.every((n) => n >= 5), `${NAMES[i]} renders frames in both tiles: ${frames}`);
  }

  // A chat message typed with the keyboard in one page appears in the other two.
  const input = pages[0].locator('peerix-conference').locator('peerix-chat').locator('input[part="input"]');
  await input.click();
  await pages[0].keyboard.type('hello <b>everyone</b>');
  await pages[0].keyboard.press('Enter');
  for (const page of pages.slice(1)) {
    await waitInPage(
      page,
      () => {
        const chat = document.querySelector('peerix-conference')?.shadowRoot?.querySelector('peerix-chat');
        const texts = [...(chat?.shadowRoot?.querySelectorAll('[part="text"]') ?? [])].map((p) => p.textContent);
        return texts.includes('hello <b>everyone</b>') && !chat.shadowRoot.querySelector('[part="text"] b');
      },
      undefined,
      { message: 'the chat message, as text' },
    );
  }

  // Muting in one shows as muted in the others.
  await pages[1].locator('peerix-conference').locator('button[part~="mic-button"]').click();
  for (const page of [pages[0], pages[2]]) {
    await waitInPage(
      page,
      ({ tiles }) => eval(tiles).some((t) => t.hasAttribute('muted') && t.querySelector('[part="name"]')?.textContent?.includes('Bob')),
      { tiles: TILES },
      { message: 'Bob shown muted' },
    );
  }

  for (const [i, page] of pages.entries()) await page.screenshot({ path: join(OUT, `demo-${NAMES[i].toLowerCase()}.png`) });


  // Carol leaves with the leave button: her tile disappears from the others within 1 s.
  await pages[2].locator('peerix-conference').locator('button[part~="leave-button"]').click();
  const left = Date.now();
  for (const page of pages.slice(0, 2)) {
    await waitInPage(page, ({ tiles }) => eval(tiles).length === 1, { tiles: TILES }, { timeout: 1000, message: "Carol's tile removed within 1 s" });
  }
  assert.ok(Date.now() - left <= 1500);

  // Bob closes his page: the engine notices the vanished peer by heartbeat.
  await pages[1].close();
  await waitInPage(pages[0], ({ tiles }) => eval(tiles).length === 0, { tiles: TILES }, { timeout: 8000, message: "Bob's tile removed after his page closed" });

  const errors = pages.flatMap((p) => p.peerixErrors);
  assert.deepEqual(errors, []);
  await sleep(10);
});
