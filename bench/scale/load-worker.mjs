// One process of the scale benchmark's load generator (forked by run.mjs).
//
// It hosts whole rooms — every member of rooms r ≡ index (mod workers) — so the
// announce → answer time of a pair is measured within one process and clock.
// Every member is a real Peer (own identity, real signaler, encryption,
// compression, real NatsDriver / MqttDriver over TCP) on the signaling-only
// stand-in RTCPeerConnection of fake-rtc.mjs. A process of its own per share of
// rooms gives each share its own event loop, crypto thread pool and file
// descriptors (20,000 per process here). With `rtc: 'wrtc'` the members are
// real @roamhq/wrtc connections instead (ICE, DTLS, SCTP on loopback), for the
// few rooms this machine holds that way.
//
// Messages from the coordinator: start, report, leave. To it: progress, report, left.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fakeRtc } from './fake-rtc.mjs';

const { connect: natsConnect } = await import('@nats-io/transport-node');
const { connect: mqttConnect } = await import('mqtt');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const bounded = (promise, ms = 5000) => Promise.race([Promise.resolve(promise).catch(() => {}), sleep(ms)]);
const send = (message) => process.send?.(message);

let peerix;
/** @roamhq/wrtc's module when the level runs real connections. */
let wrtc = null;
let connectedEvents = 0;
const peers = [];
const connections = [];
const answers = new Map();
const latencies = [];
const pairs = new Set();
const errors = new Map();
let joinsIssued = 0;
let joinsDone = 0;
let rebuilds = 0;
let unmeasured = 0;
let lastPairAt = 0;
/** CPU used before the start message (imports, startup) is not the load's. */
let cpuAtStart = process.cpuUsage();
const loop = monitorEventLoopDelay({ resolution: 20 });
/** A few messages per error code, to say what went wrong without keeping thousands. */
const samples = new Map();
const count = (key, message) => {
  errors.set(key, (errors.get(key) ?? 0) + 1);
  const kept = samples.get(key) ?? [];
  if (message && kept.length < 3 && !kept.includes(message)) samples.set(key, [...kept, message]);
};

/**
 * NATS delivers a message once per matching subscription, not per connection,
 * so peers may share a connection (each with its own driver and subscriptions)
 * without changing what the brokers carry. MQTT merges subscriptions per client:
 * one client per peer there.
 */
const pools = new Map();
async function openDriver(setup, node, perConnection) {
  if (setup.kind === 'nats') {
    let pool = pools.get(node.natsUrl);
    if (!pool || pool.users >= perConnection) {
      pool = { users: 0, nc: natsConnect({ servers: node.natsUrl, maxReconnectAttempts: -1, pingInterval: 60000, maxPingOut: 5, timeout: 120000 }) };
      pools.set(node.natsUrl, pool);
      connections.push(pool.nc);
    }
    pool.users++;
    const nc = await pool.nc;
    return { driver: new peerix.NatsDriver({ nc, prefix: 'peerix.' }), close: async () => {} };
  }
  const client = mqttConnect(node.mqttUrl, { protocolVersion: 5, reconnectPeriod: 1000, keepalive: 600, connectTimeout: 60000 });
  connections.push(client);
  await new Promise((resolve, reject) => { client.once('connect', resolve); client.once('error', reject); });
  return { driver: new peerix.MqttDriver({ client, prefix: 'peerix/' }), close: () => client.endAsync() };
}

const ufragOf = (sdp) => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1];

/** Real connections, tapped where the stand-in reports: who answered, and when an answer arrived. */
function realRtc(owner) {
  class Tapped extends wrtc.RTCPeerConnection {
    async setLocalDescription(description) {
      await super.setLocalDescription(description);
      if (this.localDescription?.type === 'answer') answers.set(ufragOf(this.localDescription.sdp), owner);
    }
    async setRemoteDescription(description) {
      await super.setRemoteDescription(description);
      if (description?.type === 'answer') owner.onAnswer(ufragOf(description.sdp));
    }
  }
  return { RTCPeerConnection: Tapped, MediaStream: wrtc.MediaStream };
}

function join(setup, room, member, perConnection) {
  const node = setup.nodes[(room + member) % setup.nodes.length];
  const owner = { index: peers.length, announcedAt: 0 };
  owner.onAnswer = (ufrag) => {
    const answerer = answers.get(ufrag);
    if (!answerer) return;
    answers.delete(ufrag);
    if (!answerer.announcedAt) return void unmeasured++;
    const key = owner.index < answerer.index ? `${owner.index}-${answerer.index}` : `${answerer.index}-${owner.index}`;
    if (pairs.has(key)) return;
    pairs.add(key);
    lastPairAt = Date.now();
    latencies.push(performance.now() - answerer.announcedAt);
  };
  const entry = { close: async () => {} };
  peers.push(entry);
  joinsIssued++;
  void (async () => {
    const { driver, close } = await openDriver(setup, node, perConnection);
    const publish = driver.publish.bind(driver);
    // The announce is this peer's first publish on the room namespace (one part; peer namespaces have two).
    driver.publish = (namespace, message) => {
      if (!owner.announcedAt && namespace.length === 1) owner.announcedAt = performance.now();
      return publish(namespace, message);
    };
    const peer = new peerix.Peer({
      driver,
      rtc: wrtc ? realRtc(owner) : fakeRtc({ expandDescription: peerix.expandDescription, owner, answers }),
      heartbeatInterval: 600000,
      heartbeatTimeout: 3600000,
    });
    peer.on('error', ({ error }) => count(error.code, error.message));
    peer.on('connection:closed', () => rebuilds++);
    peer.on('connection:connected', () => connectedEvents++);
    entry.close = async () => { await bounded(peer.leave()); await bounded(close()); };
    await peer.join({ room: `scale-${room}`, metadata: { name: `m${member}` } });
    joinsDone++;
  })().catch((error) => count(`join: ${error.message}`));
}

async function start({ engine, setup, rooms, peersPerRoom, rate, startAt, perConnection, rtc }) {
  peerix = await import(engine);
  if (rtc === 'wrtc') wrtc = (await import('@roamhq/wrtc')).default;
  cpuAtStart = process.cpuUsage();
  loop.enable();
  const progress = setInterval(() => send({ type: 'progress', joinsIssued, joinsDone, pairs: pairs.size, loopDelayMaxMs: loop.max / 1e6 }), 2000);
  // Wall-clock start shared by all processes; member by member over this process's rooms, paced.
  const wait = startAt - Date.now();
  if (wait > 0) await sleep(wait);
  const t0 = performance.now();
  let n = 0;
  for (let m = 0; m < peersPerRoom; m++) {
    for (const r of rooms) {
      const due = t0 + (n / rate) * 1000;
      const ahead = due - performance.now();
      if (ahead > 1) await sleep(ahead);
      join(setup, r, m, perConnection);
      n++;
    }
  }
  send({ type: 'issued', at: Date.now() });
  process.on('exit', () => clearInterval(progress));
}

function report() {
  const cpu = process.cpuUsage(cpuAtStart);
  send({
    type: 'report',
    latencies,
    pairs: pairs.size,
    // Each connected pair is seen connected on both sides.
    pairsConnectedByEvent: Math.floor(connectedEvents / 2),
    joinsIssued,
    joinsDone,
    lastPairAt,
    unmeasured,
    rebuilds,
    errors: Object.fromEntries(errors),
    errorSamples: Object.fromEntries(samples),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssMiB: process.memoryUsage().rss / 2 ** 20,
    loopDelay: { p50Ms: loop.percentile(50) / 1e6, p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6 },
  });
}

async function leave() {
  const started = performance.now();
  await bounded(Promise.all(peers.map((p) => p.close())), 30000);
  const seconds = (performance.now() - started) / 1000;
  await bounded(Promise.all(connections.splice(0).map(async (c) => { const conn = await c; return conn.close ? conn.close() : conn.endAsync(); })), 10000);
  send({ type: 'left', seconds });
}

process.on('message', (message) => {
  if (message.type === 'start') start(message).catch((error) => { count(`start: ${error.message}`); report(); });
  else if (message.type === 'report') report();
  else if (message.type === 'leave') leave().finally(() => setTimeout(() => process.exit(0), 200));
});
// The coordinator going away ends this process too: nothing is left running.
process.on('disconnect', () => process.exit(0));
