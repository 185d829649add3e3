#!/usr/bin/env node
// Signaling at scale on clustered brokers (`npm run bench:scale`).
//
// For each broker setup (a 3-node nats-server cluster; two bridged Mosquitto
// brokers) and each room count, rooms of 8 peers fill up member by member; the
// members of a room sit on different broker nodes (member m of room r on node
// (r + m) mod nodes). Every peer is a real Peer with its own identity, its own
// broker connection (NATS or MQTT 5 over TCP) and the real driver, signaler,
// encryption and compression. Signaling-only: the RTCPeerConnection under it is
// bench/scale/fake-rtc.mjs (recorded-form descriptions, no media, in-band
// traffic dropped), so the broker carries exactly what real peers would send it.
//
//   node scripts/netns.mjs sh -c 'ulimit -n 200000; node bench/scale/run.mjs --rooms 100,1000'
//   options: --rooms 100,1000,5000  --setups nats,mqtt  --rate 300 (joins/s offered)
//            --peers 8  --out bench/results/scale.json
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { fakeRtc } from './fake-rtc.mjs';
import { processUsage, startMosquittoPair, startNatsCluster } from './brokers.mjs';
import { ROOT } from '../../test/servers/process.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const LEVELS = (args.rooms ?? '100,1000,5000').split(',').map(Number);
const SETUPS = (args.setups ?? 'nats,mqtt').split(',');
const RATE = Number(args.rate ?? 300);
const PEERS = Number(args.peers ?? 8);
const OUT = args.out ?? join(ROOT, 'bench/results/scale.json');
/** Bounded waits: a level gives up after this long past its last join. */
const SETTLE_MS = Number(args.settle ?? 60000);
const IDLE_MS = 3000;
const PER_CONNECTION = Number(args['peers-per-connection'] ?? 20);
/** Every client connection, closed (bounded) when a level ends. */
const connections = [];
const bounded = (promise, ms = 5000) => Promise.race([Promise.resolve(promise).catch(() => {}), sleep(ms)]);

const peerix = await loadEngine();
const { connect: natsConnect } = await import('@nats-io/transport-node');
const { connect: mqttConnect } = await import('mqtt');

async function loadEngine() {
  const result = await build({
    stdin: { contents: "export * from './src/index.ts'; export { expandDescription } from './src/signaling/sdp.ts';", resolveDir: ROOT, loader: 'ts' },
    bundle: true, format: 'esm', platform: 'node', target: 'node20', write: false, logLevel: 'error',
  });
  return import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
}

/** Broker message and byte counters, summed over the setup's nodes. */
async function counters(setup, monitors) {
  if (setup.kind === 'nats') {
    const all = await Promise.all(setup.nodes.map((n) => fetch(`${n.monitorUrl}/varz`).then((r) => r.json())));
    return all.reduce((s, v) => ({ inMsgs: s.inMsgs + v.in_msgs, outMsgs: s.outMsgs + v.out_msgs, inBytes: s.inBytes + v.in_bytes, outBytes: s.outBytes + v.out_bytes }), { inMsgs: 0, outMsgs: 0, inBytes: 0, outBytes: 0 });
  }
  // Mosquitto publishes its counters under $SYS every second (sys_interval 1): wait for a fresh set.
  await new Promise((r) => setTimeout(r, 1100));
  return monitors.reduce((s, m) => ({ inMsgs: s.inMsgs + m.values.inMsgs, outMsgs: s.outMsgs + m.values.outMsgs, inBytes: s.inBytes + m.values.inBytes, outBytes: s.outBytes + m.values.outBytes }), { inMsgs: 0, outMsgs: 0, inBytes: 0, outBytes: 0 });
}

function mosquittoMonitor(node) {
  const client = mqttConnect(node.mqttUrl, { protocolVersion: 5 });
  const values = { inMsgs: 0, outMsgs: 0, inBytes: 0, outBytes: 0 };
  const map = { '$SYS/broker/messages/received': 'inMsgs', '$SYS/broker/messages/sent': 'outMsgs', '$SYS/broker/bytes/received': 'inBytes', '$SYS/broker/bytes/sent': 'outBytes' };
  client.on('connect', () => client.subscribe(Object.keys(map)));
  client.on('message', (topic, payload) => { if (map[topic]) values[map[topic]] = Number(payload.toString()); });
  return { values, close: () => client.endAsync() };
}

/**
 * NATS delivers a message once per matching subscription, not per connection,
 * so peers may share a connection (each its own driver and subscriptions)
 * without changing what the brokers carry; it keeps this process within its
 * file descriptors. MQTT dedupes subscriptions per client: one client per peer.
 */
const shared = new Map();
async function openDriver(setup, node) {
  if (setup.kind === 'nats') {
    let pool = shared.get(node);
    if (!pool || pool.users >= PER_CONNECTION) {
      pool = { users: 0, nc: natsConnect({ servers: node.natsUrl, maxReconnectAttempts: -1, pingInterval: 60000 }) };
      shared.set(node, pool);
      connections.push(pool.nc);
    }
    pool.users++;
    const nc = await pool.nc;
    return { driver: new peerix.NatsDriver({ nc, prefix: 'peerix.' }), close: async () => {} };
  }
  const client = mqttConnect(node.mqttUrl, { protocolVersion: 5, reconnectPeriod: 0, keepalive: 600 });
  connections.push(client);
  await new Promise((resolve, reject) => { client.once('connect', resolve); client.once('error', reject); });
  return { driver: new peerix.MqttDriver({ client, prefix: 'peerix/' }), close: () => client.endAsync() };
}

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let current = null;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await current?.close();
    process.exit(1);
  });
}

async function runLevel(setupKind, rooms) {
  const setup = setupKind === 'nats' ? { kind: 'nats', ...(await startNatsCluster()) } : { kind: 'mqtt', ...(await startMosquittoPair()) };
  current = setup;
  const monitors = setup.kind === 'mqtt' ? setup.nodes.map(mosquittoMonitor) : [];
  const peers = [];
  const answers = new Map();
  const latencies = [];
  const pairs = new Set();
  const errors = new Map();
  let rebuilds = 0;
  let unmeasured = 0;
  try {
    await sleep(1500);
    const base = { usage: setup.nodes.map((n) => processUsage(n.pid)), counters: await counters(setup, monitors), client: process.cpuUsage() };
    const total = rooms * PEERS;
    const started = performance.now();
    let joined = 0;
    let lastPair = started;
    const progress = setInterval(() => console.log(`  ${((performance.now() - started) / 1000).toFixed(0)} s: ${joined} joins issued, ${pairs.size}/${rooms * (PEERS * (PEERS - 1)) / 2} pairs`), 10000);
    // Member by member over all rooms, paced at RATE joins per second.
    for (let m = 0; m < PEERS; m++) {
      for (let r = 0; r < rooms; r++) {
        const due = started + (joined / RATE) * 1000;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        const node = setup.nodes[(r + m) % setup.nodes.length];
        const owner = { index: peers.length, announcedAt: 0 };
        owner.onAnswer = (ufrag) => {
          const answerer = answers.get(ufrag);
          if (!answerer) return;
          if (!answerer.announcedAt) return void unmeasured++;
          const key = owner.index < answerer.index ? `${owner.index}-${answerer.index}` : `${answerer.index}-${owner.index}`;
          if (pairs.has(key)) return;
          pairs.add(key);
          lastPair = performance.now();
          latencies.push(lastPair - answerer.announcedAt);
          if (process.env.SCALE_DEBUG && latencies.length % 10 === 1) console.log('pair', owner.index, answerer.index, answerer.announcedAt.toFixed(0), lastPair.toFixed(0));
        };
        const entry = { owner, close: async () => {} };
        peers.push(entry);
        joined++;
        void (async () => {
          const { driver, close } = await openDriver(setup, node);
          const publish = driver.publish.bind(driver);
          // The announce is this peer's first publish on the room namespace (one part; peer namespaces have two).
          driver.publish = (namespace, message) => {
            if (!owner.announcedAt && namespace.length === 1) owner.announcedAt = performance.now();
            return publish(namespace, message);
          };
          const peer = new peerix.Peer({
            driver,
            rtc: fakeRtc({ expandDescription: peerix.expandDescription, owner, answers }),
            heartbeatInterval: 600000,
            heartbeatTimeout: 3600000,
          });
          peer.on('error', ({ error }) => { errors.set(error.code, (errors.get(error.code) ?? 0) + 1); if (process.env.SCALE_DEBUG) console.log(error.code, error.message); });
          peer.on('connection:closed', () => rebuilds++);
          entry.close = async () => { await bounded(peer.leave()); await bounded(close()); };
          await peer.join({ room: `scale-${r}`, metadata: { name: `m${m}` } });
        })().catch((error) => errors.set(`join: ${error.message}`, (errors.get(`join: ${error.message}`) ?? 0) + 1));
      }
    }
    const joinsIssued = performance.now();
    const expected = rooms * (PEERS * (PEERS - 1)) / 2;
    const deadline = joinsIssued + SETTLE_MS;
    while (pairs.size < expected && performance.now() < deadline) await sleep(100);
    const settled = performance.now();
    clearInterval(progress);
    const closedBeforeLeave = rebuilds;
    const after = { usage: setup.nodes.map((n) => processUsage(n.pid)), counters: await counters(setup, monitors), client: process.cpuUsage(base.client) };
    const seconds = (lastPair - started) / 1000;

    // Idle: connected rooms must cost the brokers nothing.
    const idleStart = await counters(setup, monitors);
    await sleep(IDLE_MS);
    const idleEnd = await counters(setup, monitors);

    // Everyone leaves (Bye on each room).
    const leaveStart = performance.now();
    await bounded(Promise.all(peers.map((p) => p.close())), 30000);
    const leaveSeconds = (performance.now() - leaveStart) / 1000;

    const sorted = latencies.sort((a, b) => a - b);
    const phase = (key) => after.counters[key] - base.counters[key];
    const result = {
      setup: setup.kind === 'nats' ? `nats-server cluster (${setup.nodes.length} nodes)` : 'Mosquitto ×2 (bridged)',
      rooms,
      peers: total,
      offeredRate: RATE,
      pairsExpected: expected,
      pairsConnected: pairs.size,
      seconds: +seconds.toFixed(2),
      joinsPerSecond: +(total / seconds).toFixed(1),
      pairsWithoutAnnounceTime: unmeasured,
      announceToAnswerMs: { p50: +pct(sorted, 50).toFixed(1), p99: +pct(sorted, 99).toFixed(1), max: +(sorted.at(-1) ?? NaN).toFixed(1) },
      broker: {
        inMsgsPerSecond: Math.round(phase('inMsgs') / seconds),
        outMsgsPerSecond: Math.round(phase('outMsgs') / seconds),
        inBytesPerSecond: Math.round(phase('inBytes') / seconds),
        outBytesPerSecond: Math.round(phase('outBytes') / seconds),
        inMsgs: phase('inMsgs'),
        outMsgs: phase('outMsgs'),
        inBytes: phase('inBytes'),
        outBytes: phase('outBytes'),
        idleMsgs: (idleEnd.inMsgs - idleStart.inMsgs),
      },
      nodes: setup.nodes.map((n, i) => ({
        name: n.name,
        cpuPercentOfOneCore: +(((after.usage[i].cpu - base.usage[i].cpu) / ((settled - started) / 1000)) * 100).toFixed(1),
        cpuSeconds: +(after.usage[i].cpu - base.usage[i].cpu).toFixed(2),
        rssMiB: +(after.usage[i].rss / 2 ** 20).toFixed(1),
        rssGrowthMiB: +((after.usage[i].rss - base.usage[i].rss) / 2 ** 20).toFixed(1),
      })),
      clientCpuSeconds: +((after.client.user + after.client.system) / 1e6).toFixed(1),
      clientRssMiB: +(process.memoryUsage().rss / 2 ** 20).toFixed(0),
      loadAverage: (await import('node:os')).loadavg().map((l) => +l.toFixed(1)),
      leaveSeconds: +leaveSeconds.toFixed(2),
      connectionsClosedBeforeLeave: closedBeforeLeave,
      errors: Object.fromEntries(errors),
    };
    return result;
  } finally {
    await bounded(Promise.all(peers.map((p) => p.close())), 10000);
    await bounded(Promise.all(connections.splice(0).map(async (c) => { const conn = await c; return conn.close ? conn.close() : conn.endAsync(); })), 10000);
    shared.clear();
    for (const m of monitors) await bounded(m.close());
    await setup.close();
    current = null;
  }
}

const results = [];
for (const setup of SETUPS) {
  for (const rooms of LEVELS) {
    console.log(`\n== ${setup}: ${rooms} rooms × ${PEERS} peers, joins offered at ${RATE}/s`);
    const result = await runLevel(setup, rooms);
    console.log(JSON.stringify(result, null, 2));
    results.push(result);
    writeFileSync(OUT, JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2));
    if (result.pairsConnected < result.pairsExpected) console.log(`!! ${setup} at ${rooms} rooms: ${result.pairsConnected}/${result.pairsExpected} pairs within ${SETTLE_MS} ms of the last join`);
  }
}
console.log(`\nwritten to ${OUT}`);
process.exit(0);
