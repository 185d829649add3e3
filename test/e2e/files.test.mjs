// File sharing end to end: three pages of demo/files.html (served by `npm start`'s
// server, signaling through its embedded MQTT broker). A 64 MiB file goes from one
// page to the other two with progress at both ends and a matching SHA-256; a
// cancel half-way stops both sides of that transfer. Chromium, then Firefox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPeerPage, waitInPage, sleep } from './harness.mjs';
import { startDemoServer } from '../../scripts/start.mjs';

const SIZE = 64 * 1024 * 1024;
const NAMES = ['Alice', 'Bob', 'Carol'];

let server;
before(async () => {
  server = await startDemoServer({ port: 0, httpsPort: null, host: '127.0.0.1', log: () => {} });
});
after(async () => {
  await server?.close();
});

/** Runs in every page: records each transfer's distinct byte counts and every file event. */
function instrument() {
  const share = document.querySelector('peerix-file-share');
  window.__progress = {};
  window.__files = [];
  share.addEventListener('peerix-file', async (event) => {
    const { name, size, blob, direction, checksum, remote } = event.detail;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
    const actual = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
    window.__files.push({ name, size, direction, checksum, actual, from: remote.metadata?.name });
  });
  setInterval(() => {
    for (const t of share.transfers) {
      const key = `${t.direction}:${t.peerName}:${t.name}`;
      const seen = (window.__progress[key] ??= []);
      if (seen.at(-1) !== t.bytes) seen.push(t.bytes);
    }
  }, 10);
}

/**
 * Runs in the sending page: makes a file (a random 64 KiB block repeated, each MiB
 * starting with its own number, so a lost, doubled or reordered slice changes the
 * hash), keeps its SHA-256 and sends it to everyone. Built from Blob parts without
 * a long task: a page that blocks its main thread for seconds misses the
 * engine's heartbeat and loses its connections.
 */
async function sendRandom({ size, name }) {
  const MiB = 1024 * 1024;
  const block = crypto.getRandomValues(new Uint8Array(65536));
  const base = new Blob(Array.from({ length: 16 }, () => block));
  const parts = [];
  for (let offset = 0, i = 0; offset < size; offset += MiB, i++) {
    const header = `${name}#${i}`.padEnd(32, '.');
    parts.push(header, base.slice(0, Math.min(MiB, size - offset) - header.length));
  }
  const file = new File(parts, name, { type: 'application/x-test' });
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
  const hash = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
  const transfers = document.querySelector('peerix-file-share').send([file]);
  return { hash, size: file.size, recipients: transfers.map((t) => t.peerName).sort() };
}

const state = (direction, peerName, name) =>
  `document.querySelector('peerix-file-share').transfers.find((t) => t.direction === '${direction}' && t.peerName === '${peerName}' && t.name === '${name}')`;
const intermediate = (list = []) => new Set(list.filter((n) => n > 0 && n < SIZE)).size;

for (const kind of ['chromium', 'firefox']) {
  test(`${kind}: a 64 MiB file to two peers with progress at both ends and a matching hash; a cancel half-way stops both sides`, { timeout: 300000 }, async () => {
    const browser = await launchBrowser(kind);
    const pages = [];
    try {
      const room = `files-${kind}-${process.pid}`;
      for (const name of NAMES) pages.push(await openPeerPage(browser, `${server.url}files.html?room=${room}&name=${name}`, { name }));
      for (const [i, page] of pages.entries()) {
        await waitInPage(
          page,
          () => [...document.querySelector('peerix-room').connections.values()].filter((c) => c.state === 'connected').length === 2,
          undefined,
          { timeout: 60000, message: `${NAMES[i]} connected to both others` },
        );
        await page.evaluate(instrument);
      }
      const [alice, bob, carol] = pages;

      // 1. Alice → Bob and Carol, whole.
      const sent = await alice.evaluate(sendRandom, { size: SIZE, name: 'first.bin' });
      assert.deepEqual(sent.recipients, ['Bob', 'Carol']);
      assert.equal(sent.size, SIZE);
      for (const [page, name] of [[bob, 'Bob'], [carol, 'Carol']]) {
        await waitInPage(page, () => window.__files.some((f) => f.name === 'first.bin'), undefined, { timeout: 180000, message: `${name} receives first.bin` });
        const [file] = await page.evaluate(() => window.__files.filter((f) => f.name === 'first.bin'));
        assert.equal(file.size, SIZE);
        assert.equal(file.from, 'Alice');
        assert.match(file.checksum, /^[0-9a-f]{64}$/);
        assert.equal(file.actual, sent.hash, `${name}: the received bytes hash to the sent file's SHA-256`);
        const progress = await page.evaluate(() => window.__progress['in:Alice:first.bin']);
        assert.ok(intermediate(progress) >= 3, `${name} showed progress while receiving: ${progress}`);
      }
      await waitInPage(alice, () => window.__files.filter((f) => f.name === 'first.bin' && f.direction === 'out').length === 2, undefined, { timeout: 30000, message: 'both recipients confirm' });
      const checksums = await alice.evaluate(() => document.querySelector('peerix-file-share').transfers.map((t) => t.checksum));
      for (const page of [bob, carol]) assert.equal((await page.evaluate(() => window.__files[0].checksum)), checksums[0], 'the receivers checked the checksum the sender computed');
      for (const name of ['Bob', 'Carol']) {
        const progress = await alice.evaluate((key) => window.__progress[key], `out:${name}:first.bin`);
        assert.ok(intermediate(progress) >= 3, `Alice showed progress sending to ${name}: ${progress}`);
      }
      // Bob's page offers it as a download link, named, with size and type as text.
      const link = await bob.evaluate(() => {
        const a = document.querySelector('peerix-file-share').shadowRoot.querySelector('a[part="file-link"]');
        return { download: a.getAttribute('download'), text: a.textContent, meta: a.parentElement.querySelector('[part="file-meta"]').textContent };
      });
      assert.deepEqual([link.download, link.text], ['first.bin', 'first.bin']);
      assert.match(link.meta, /64 MB · application\/x-test · from Alice/);

      // 2. Alice sends another; Bob cancels half-way with the cancel button: both sides stop, Carol still gets it.
      const second = await alice.evaluate(sendRandom, { size: SIZE, name: 'second.bin' });
      await waitInPage(bob, (s) => (eval(s)?.bytes ?? 0) >= 24 * 1024 * 1024, state('in', 'Alice', 'second.bin'), { timeout: 120000, message: 'Bob is part-way through second.bin' });
      await bob.evaluate(() => {
        const root = document.querySelector('peerix-file-share').shadowRoot;
        const item = [...root.querySelectorAll('li')].find((li) => li.textContent.includes('second.bin'));
        item.querySelector('button[part~="cancel-button"]').click();
      });
      const bobSide = await bob.evaluate((s) => ({ state: eval(s).state, bytes: eval(s).bytes }), state('in', 'Alice', 'second.bin'));
      assert.equal(bobSide.state, 'cancelled');
      assert.ok(bobSide.bytes < SIZE, `Bob stopped part-way (${bobSide.bytes} bytes)`);
      await waitInPage(alice, (s) => eval(s)?.state === 'cancelled', state('out', 'Bob', 'second.bin'), { timeout: 30000, message: "Alice's transfer to Bob is cancelled" });
      const aliceSide = await alice.evaluate((s) => ({ bytes: eval(s).bytes, message: eval(s).message }), state('out', 'Bob', 'second.bin'));
      assert.match(aliceSide.message, /Bob cancelled/);
      assert.ok(aliceSide.bytes < SIZE, `Alice stopped sending to Bob (${aliceSide.bytes} bytes)`);
      await waitInPage(carol, () => window.__files.some((f) => f.name === 'second.bin'), undefined, { timeout: 180000, message: 'Carol still receives second.bin' });
      const carolFile = await carol.evaluate(() => window.__files.find((f) => f.name === 'second.bin'));
      assert.equal(carolFile.actual, second.hash);
      // Nothing more reaches Bob, and he never gets a file event for it.
      await sleep(1000);
      const after = await bob.evaluate((s) => ({ bytes: eval(s).bytes, files: window.__files.filter((f) => f.name === 'second.bin').length }), state('in', 'Alice', 'second.bin'));
      assert.deepEqual(after, { bytes: bobSide.bytes, files: 0 });
      assert.equal((await alice.evaluate((s) => eval(s).bytes, state('out', 'Bob', 'second.bin'))), aliceSide.bytes);
      assert.deepEqual(pages.flatMap((p) => p.peerixErrors), []);
    } finally {
      for (const page of pages) await page.peerixClose?.().catch(() => {});
      await browser.close();
    }
  });
}
