// MqttDriver against Debian's Mosquitto (MQTT 5 over WebSocket) and the
// embedded aedes broker (MQTT 3.1.1 over WebSocket), each started here.
import { describe } from 'node:test';
import mqtt from 'mqtt';
import { driverSuite } from './drivers-suite.mjs';
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
