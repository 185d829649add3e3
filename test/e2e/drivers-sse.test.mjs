// SseDriver against the reference hub servers/sse-hub.mjs (started here, with
// a publisher token, as Mercure wants a publisher JWT).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { driverSuite } from './drivers-suite.mjs';
import { startSseHub } from '../servers/node-servers.mjs';
import { sleep, waitInPage } from './harness.mjs';

const TOKEN = 'peerix-test-publisher';

/** Raw form POSTs whose `data` is not what the driver publishes. */
async function garbage(server, topic) {
  const bad = ['not json', JSON.stringify({ t: topic }), JSON.stringify({ t: topic, m: '***' }), JSON.stringify({ t: topic, m: 12 }), JSON.stringify({ t: topic, m: 'A'.repeat(100 * 1024) }), JSON.stringify({ m: 'AQID' })];
  for (const data of bad) {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ topic, data }),
    });
    assert.equal(response.status, 200);
  }
  return bad.length;
}

describe('SseDriver + reference hub', () => {
  const suite = driverSuite({
    name: 'sse',
    start: () => startSseHub(['--token', TOKEN]),
    bundle: 'drivers/sse.js',
    // No client object: the "client" is the driver's options; `slow` asks the hub for a later reconnect.
    client: `async (url, { slow }) => ({ url: url + (slow ? '?retry=3000' : '?retry=250') })`,
    driver: `(M, c, prefix) => new M.SseDriver({ url: c.url, prefix, publisher: { headers: { Authorization: 'Bearer ${TOKEN}' } } })`,
    listeners: `(c) => 'none'`,
    topic: (prefix, ns) => prefix + ns.join('/'),
    echo: true, // a hub sends an update to every stream of its topic
    garbage,
  });

  test('sse: a burst of subscribes opens one stream; destroy closes it on the hub', async () => {
    const { page } = suite;
    const opened = await page.evaluate(async () => {
      const d = new T.M.SseDriver({ url: T.rec.a.client.url, prefix: 'burst/' });
      const urls = [];
      const Original = window.EventSource;
      window.EventSource = class extends Original { constructor(url, init) { super(url, init); urls.push(String(url)); } };
      try {
        for (let i = 0; i < 10; i++) d.subscribe(['n' + i], () => {});
        await new Promise((r) => setTimeout(r, 300));
      } finally {
        window.EventSource = Original;
      }
      d.destroy();
      return urls;
    });
    assert.equal(opened.length, 1, opened.join('\n'));
    assert.equal(new URL(opened[0]).searchParams.getAll('topic').length, 10);
  });

  test('sse: a publish the hub refuses is an error event', async () => {
    const { page } = suite;
    const errors = await page.evaluate(async () => {
      const d = new T.M.SseDriver({ url: T.rec.a.client.url }); // no token
      const errors = [];
      d.on('error', ({ error }) => errors.push(error.code + ' ' + error.message));
      await new Promise((r) => setTimeout(r, 100));
      await d.publish(['x'], [1]);
      d.destroy();
      return errors;
    });
    assert.equal(errors.length, 1);
    assert.match(errors[0], /ERR_DRIVER .*401/);
  });
});
