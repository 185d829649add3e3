// MqttDriver against Debian's Mosquitto (MQTT 5 over WebSocket) and the
// embedded aedes broker (MQTT 3.1.1 over WebSocket), each started here; and the
// order of the first connection's packets (subscriptions and publishes on the CONNACK).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { driverSuite } from './drivers-suite.mjs';
import { launchChromium, openPeerPage, startStaticServer, waitInPage } from './harness.mjs';
import { startMosquitto } from '../servers/mosquitto.mjs';
import { startAedes } from '../servers/node-servers.mjs';

const client = (version) => `async (url, { slow }) => {
  const { connect } = await T.load('mqtt.js');
  return connect(url, { protocolVersion: ${version}, reconnectPeriod: slow ? 2500 : 250, connectTimeout: 2000 });
}`;

/** Publishes an empty and an oversized payload from a Node client: the two things a binary transport can get wrong. */
async function garbage(url, topic) {
  const c = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 0 });
  await new Promise((resolve, reject) => { c.once('connect', resolve); c.once('error', reject); });
  await c.publishAsync(topic, Buffer.alloc(0), { qos: 1 });
  await c.publishAsync(topic, Buffer.alloc(70 * 1024, 7), { qos: 1 });
  await c.endAsync();
  return 2;
}

const common = {
  bundle: 'drivers/mqtt.js',
  driver: `(M, client, prefix) => new M.MqttDriver({ client, prefix })`,
  listeners: `(c) => ['message', 'connect', 'close'].map((e) => e + ':' + c.listenerCount(e)).join(' ') + ' subs:' + Object.keys(c._resubscribeTopics).length`,
  topic: (prefix, ns) => prefix + ns.join('/'),
};

describe('MqttDriver + Mosquitto (MQTT 5)', () => {
  driverSuite({
    ...common,
    name: 'mqtt/mosquitto',
    start: startMosquitto,
    client: client(5),
    echo: true, // no noLocal: the echo of an announce orders simultaneous joins (echoesInOrder); the engine drops it
    garbage: (server, topic) => garbage(server.mqttUrl, topic),
  });
});

describe('MqttDriver + aedes (MQTT 3.1.1)', () => {
  driverSuite({
    ...common,
    name: 'mqtt/aedes',
    start: startAedes,
    client: client(4),
    echo: true, // MQTT 3.1.1 has no noLocal: the engine drops its own messages
    garbage: (server, topic) => garbage(server.url, topic),
  });
});

describe('MqttDriver on its first connection (Mosquitto, Chromium)', () => {
  let server, web, browser, page;
  before(async () => {
    server = await startMosquitto();
    web = await startStaticServer();
    browser = await launchChromium();
    page = await openPeerPage(browser, `${web.url}/test/e2e/pages/drivers.html`, { name: 'first-connack' });
    await waitInPage(page, () => window.ready === true, null, { message: 'the test page' });
  });
  after(async () => {
    await browser?.close();
    await web?.close();
    await server?.close();
  });

  test('subscribes, then publishes, on the CONNACK: before mqtt.js emits connect, and the message comes back', async () => {
    const log = await page.evaluate(async (url) => {
      const M = await T.load('drivers/mqtt.js');
      const { connect } = await T.load('mqtt.js');
      const client = connect(url, { protocolVersion: 5, reconnectPeriod: 0 });
      const log = [];
      client.on('packetsend', (p) => log.push(`send ${p.cmd}`));
      client.on('packetreceive', (p) => log.push(`receive ${p.cmd}`));
      client.on('connect', () => log.push('connect event'));
      const driver = new M.MqttDriver({ client, prefix: 'first/' });
      const got = new Promise((resolve) => driver.subscribe(['x'], resolve));
      driver.publish(['x'], new Uint8Array([1, 2, 3])); // held until the CONNACK
      const echoed = await got;
      driver.destroy();
      client.end();
      return { log, echoed: Array.from(echoed).join(',') };
    }, server.url);
    const at = (entry) => log.log.indexOf(entry);
    assert.equal(log.echoed, '1,2,3', 'the published message came back (the broker echoes)');
    assert.ok(at('receive connack') >= 0 && at('connect event') >= 0, log.log.join(' | '));
    assert.ok(at('receive connack') < at('send subscribe') && at('send subscribe') < at('send publish'), `subscribe, then publish, after the CONNACK: ${log.log.join(' | ')}`);
    assert.ok(at('send publish') < at('connect event'), `both before mqtt.js's connect event: ${log.log.join(' | ')}`);
    assert.equal(log.log.filter((e) => e === 'send subscribe').length, 1, `one SUBSCRIBE: ${log.log.join(' | ')}`);
  });
});
