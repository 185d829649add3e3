// The driver tests, shared by every backend (test/e2e/drivers-*.test.mjs):
// three drivers "a", "b", "c", each on its own client of the same server, in
// one real Chromium page with the real client library.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, openPeerPage, sleep, startStaticServer, waitInPage } from './harness.mjs';

const X = ['room', 'x'];
const Y = ['room', 'y'];

/**
 * backend: {
 *   name, start(): server ({ url, stop(), start(), close() }),
 *   bundle: 'drivers/mqtt.js',
 *   client: page code `async (url, { slow }) => client` (slow: reconnect later than the others),
 *   driver: page code `(M, client, prefix) => driver`,
 *   listeners: page code `(client) => comparable` (what the driver may add to the client),
 *   topic(prefix, namespace): the topic/subject/channel name,
 *   garbage(server, topic): publishes garbage there from another raw client; resolves to how many
 *   echo: whether a publisher's own subscription receives its message,
 *   restart: false to skip the server restart test (a real remote server),
 *   urlFor(server): what the page client connects to (default server.url)
 * }
 */
export function driverSuite(backend) {
  const prefix = `t${Math.random().toString(36).slice(2, 8)}/`;
  let server, web, browser, page;

  before(async () => {
    server = await backend.start();
    web = await startStaticServer();
    browser = await launchChromium();
    page = await openPeerPage(browser, `${web.url}/test/e2e/pages/drivers.html`, { name: backend.name });
    await waitInPage(page, () => window.ready === true, null, { message: 'the test page' });
    await page.evaluate(async ({ bundle, client, driver, listeners, url, prefix }) => {
      const M = await T.load(bundle);
      const makeClient = (0, eval)(client);
      const makeDriver = (0, eval)(driver);
      T.listeners = (0, eval)(listeners);
      T.M = M;
      for (const name of ['a', 'b', 'c']) {
        const c = await makeClient(url, { slow: name === 'a' });
        const before = T.listeners(c);
        const d = makeDriver(M, c, prefix);
        const rec = T.track(name, d, c);
        rec.before = before;
        rec.initiallyActive = d.active;
      }
    }, { bundle: backend.bundle, client: backend.client, driver: backend.driver, listeners: backend.listeners, url: backend.urlFor?.(server) ?? server.url, prefix });
  });

  after(async () => {
    await browser?.close();
    await web?.close();
    await server?.close();
  });

  const noPageErrors = () => assert.deepEqual(page.peerixErrors, []);
  const publish = (name, ns, bytes) => page.evaluate(([n, ns, b]) => T.rec[n].driver.publish(ns, b), [name, ns, bytes]);
  const got = (name, tag) => page.evaluate(([n, t]) => T.got(n, t), [name, tag]);
  const waitGot = (name, tag, value, message) =>
    waitInPage(page, ([n, t, v]) => T.got(n, t).includes(v), [name, tag, value], { message: message ?? `${name}/${tag} to receive ${value}` });

  test(`${backend.name}: active goes true when the client is connected`, async () => {
    await waitInPage(page, () => ['a', 'b', 'c'].every((n) => T.rec[n].driver.active), null, { message: 'every driver active' });
    // A driver given a connected client is active from its constructor on (no event then).
    const state = await page.evaluate(() => ['a', 'b', 'c'].map((n) => ({ last: T.rec[n].actives.at(-1) ?? T.rec[n].initiallyActive, active: T.rec[n].driver.active })));
    for (const s of state) assert.deepEqual(s, { last: true, active: true });
    noPageErrors();
  });

  test(`${backend.name}: a message reaches every subscriber of its namespace and no other`, async () => {
    await page.evaluate(([X, Y]) => {
      const { a, b, c } = T.rec;
      b.driver.subscribe(X, T.handler('b', 'h1'));
      b.driver.subscribe(X, T.handler('b', 'h2'));
      a.driver.subscribe(X, T.handler('a', 'h1'));
      c.driver.subscribe(Y, T.handler('c', 'h1'));
    }, [X, Y]);
    await waitInPage(page, () => ['a', 'b', 'c'].every((n) => T.rec[n].driver.active), null, { message: 'drivers active after subscribing' });
    await sleep(400); // subscriptions travel to the server
    await publish('a', X, [1, 2, 3]);
    await waitGot('b', 'h1', '1,2,3');
    await waitGot('b', 'h2', '1,2,3');
    await publish('b', Y, [9, 9]);
    await waitGot('c', 'h1', '9,9');
    await sleep(400);
    assert.deepEqual(await got('b'), ['1,2,3', '1,2,3'], 'b: once per handler, nothing from Y');
    assert.deepEqual(await got('c'), ['9,9'], 'c: only Y');
    assert.deepEqual(await got('a'), backend.echo ? ['1,2,3'] : [], `a: ${backend.echo ? 'its own message echoed' : 'no echo of its own message'}`);
    assert.equal(await page.evaluate(() => T.rec.b.got.every((g) => g.plain)), true, 'handlers get plain arrays');
    const errors = await page.evaluate(() => ['a', 'b', 'c'].flatMap((n) => T.rec[n].errors));
    assert.deepEqual(errors, []);
    noPageErrors();
  });

  test(`${backend.name}: garbage on a driver's topic is an error event, never an exception`, async () => {
    const before = await got('b');
    const count = await backend.garbage(server, backend.topic(prefix, X));
    await waitInPage(page, (n) => T.rec.b.errors.length >= n, count, { message: `${count} error events on b` });
    await sleep(300);
    const errors = await page.evaluate(() => T.rec.b.errors);
    assert.equal(errors.length, count, JSON.stringify(errors));
    for (const e of errors) assert.match(e.code, /^ERR_(DECODE|TOO_LARGE)$/, e.message);
    assert.deepEqual(await got('b'), before, 'no handler called with garbage');
    noPageErrors();
    // The driver still works.
    await publish('a', X, [4]);
    await waitGot('b', 'h1', '4');
    await page.evaluate(() => { T.rec.b.errors.length = 0; });
  });

  test(`${backend.name}: server restart: active false, then true; queued and new messages arrive`, { skip: backend.restart === false && 'a remote server cannot be restarted by the test' }, async () => {
    await server.stop();
    await waitInPage(page, () => !T.rec.a.driver.active && !T.rec.b.driver.active, null, { message: 'drivers inactive while the server is down', timeout: 30000 });
    await publish('a', X, [7, 7]); // queued by the driver
    await sleep(300);
    await server.start();
    await waitInPage(page, () => T.rec.a.driver.active && T.rec.b.driver.active && T.rec.c.driver.active, null, { message: 'drivers active again', timeout: 30000 });
    await waitGot('b', 'h1', '7,7', 'b to receive the message queued while the server was down');
    // Subscriptions work again (after a reconnect some clients resubscribe a moment after `active`).
    for (let i = 0; i < 20 && !(await got('c', 'h1')).includes('8'); i++) {
      await publish('b', Y, [8]);
      await sleep(250);
    }
    assert.ok((await got('c', 'h1')).includes('8'), 'c receives after the restart');
    const actives = await page.evaluate(() => T.rec.b.actives.slice(-2));
    assert.deepEqual(actives, [false, true]);
    const errors = await page.evaluate(() => T.rec.a.errors.filter((e) => /outbox/.test(e.message)));
    assert.deepEqual(errors, []);
    noPageErrors();
  });

  test(`${backend.name}: no handler runs after unsubscribe or destroy; listener counts return`, async () => {
    await page.evaluate((X) => T.rec.b.driver.unsubscribe(X, T.handler('b', 'h2')), X);
    const h2Before = (await got('b', 'h2')).length;
    await publish('a', X, [5]);
    await waitGot('b', 'h1', '5');
    await sleep(300);
    assert.equal((await got('b', 'h2')).length, h2Before, 'h2 unsubscribed');

    await page.evaluate((X) => T.rec.b.driver.unsubscribe(X, T.handler('b', 'h1')), X);
    await sleep(300);
    const bBefore = (await got('b')).length;
    await publish('a', X, [6]);
    await page.evaluate(async () => { await T.rec.c.driver.destroy(); });
    await publish('b', Y, [6]);
    await sleep(700);
    assert.equal((await got('b')).length, bBefore, 'b: nothing after its last unsubscribe');
    assert.deepEqual((await got('c')).filter((v) => v === '6'), [], 'c: nothing after destroy');

    await page.evaluate(async () => {
      for (const n of ['a', 'b']) await T.rec[n].driver.destroy();
    });
    await sleep(300);
    const counts = await page.evaluate(() => ['a', 'b', 'c'].map((n) => [T.rec[n].before, T.listeners(T.rec[n].client), T.rec[n].driver.active]));
    for (const [before, afterwards, active] of counts) {
      assert.deepEqual(afterwards, before, 'the client has the listeners and subscriptions it had before the driver');
      assert.equal(active, false);
    }
    noPageErrors();
  });

  return { prefix, X, Y, get page() { return page; }, get server() { return server; } };
}
