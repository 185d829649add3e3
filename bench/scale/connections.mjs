#!/usr/bin/env node
// What an idle peer costs a broker node: opens `--count` client connections to
// one nats-server node and to one Mosquitto broker, each with the two
// subscriptions a joined peer holds (room and own namespace), and reports the
// brokers' resident memory before and after. Part of `npm run bench:scale`'s
// projection (docs/scaling.md); loopback only, brokers stopped by PID.
//   node scripts/netns.mjs node bench/scale/connections.mjs --count 2000
import { connect as natsConnect } from '@nats-io/transport-node';
import mqtt from 'mqtt';
import { processUsage, startMosquittoPair, startNatsCluster } from './brokers.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const COUNT = Math.min(Number(args.count ?? 2000), 8000); // bounded: file descriptors
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const topic = (i, sep) => [`room${Math.floor(i / 8)}`, `peer${i}`].join(sep);

async function measure(name, node, open) {
  await sleep(1000);
  const before = processUsage(node.pid);
  const clients = [];
  for (let i = 0; i < COUNT; i++) clients.push(await open(i));
  await sleep(2000);
  const after = processUsage(node.pid);
  const perConnection = (after.rss - before.rss) / COUNT;
  console.log(`${name}: ${COUNT} connections with 2 subscriptions each: RSS ${(before.rss / 2 ** 20).toFixed(1)} → ${(after.rss / 2 ** 20).toFixed(1)} MiB, ${(perConnection / 1024).toFixed(1)} KiB per connection`);
  return { clients, result: { broker: name, connections: COUNT, rssBeforeMiB: +(before.rss / 2 ** 20).toFixed(1), rssAfterMiB: +(after.rss / 2 ** 20).toFixed(1), kibPerConnection: +(perConnection / 1024).toFixed(1) } };
}

const results = [];
const nats = await startNatsCluster({ size: 1 });
try {
  const { clients, result } = await measure('nats-server', nats.nodes[0], async (i) => {
    const nc = await natsConnect({ servers: nats.nodes[0].natsUrl, maxReconnectAttempts: 0 });
    nc.subscribe(`peerix.${topic(i, '.')}`, { callback: () => {} });
    nc.subscribe(`peerix.room${Math.floor(i / 8)}`, { callback: () => {} });
    await nc.flush();
    return nc;
  });
  results.push(result);
  await Promise.all(clients.map((nc) => nc.close().catch(() => {})));
} finally {
  await nats.close();
}

const mosquitto = await startMosquittoPair();
try {
  const broker = mosquitto.nodes[0];
  const { clients, result } = await measure('mosquitto', broker, async (i) => {
    const client = mqtt.connect(broker.mqttUrl, { protocolVersion: 5, reconnectPeriod: 0, keepalive: 600 });
    await new Promise((resolve, reject) => { client.once('connect', resolve); client.once('error', reject); });
    await client.subscribeAsync([`peerix/${topic(i, '/')}`, `peerix/room${Math.floor(i / 8)}`], { qos: 1, nl: true });
    return client;
  });
  results.push(result);
  await Promise.all(clients.map((c) => c.endAsync().catch(() => {})));
} finally {
  await mosquitto.close();
}
console.log(JSON.stringify(results));
process.exit(0);
