#!/usr/bin/env node
// Signaling at scale on clustered brokers (`npm run bench:scale`).
//
// For each broker setup (a 3-node nats-server cluster; two bridged Mosquitto
// brokers) and each room count, rooms of 8 peers fill up member by member; the
// members of a room sit on different broker nodes (member m of room r on node
// (r + m) mod nodes). Every peer is a real Peer with its own identity, the real
// driver, signaler, encryption and compression over NATS or MQTT 5 (TCP).
// Signaling-only: the RTCPeerConnection under it is bench/scale/fake-rtc.mjs
// (recorded-form descriptions, no media), so the brokers carry exactly what
// real peers would send them.
//
// The load comes from --workers processes (load-worker.mjs), each hosting whole
// rooms; this process starts the brokers, paces the workers to one shared start,
// and reads the brokers' own counters, CPU and memory, the machine's load average
// and how much of its CPU went to other jobs.
//
//   npm run bench:scale -- --rooms 100,1000 --setups nats,mqtt --rate 60 --workers 4
//   options: --rooms 100,1000,5000  --setups nats,mqtt  --rate 60 (joins/s offered, all workers)
//            --workers 4  --peers 8  --budget 600 (s per level, then it reports how far it got)
//            --settle 60 (s after the last join)  --out bench/results/scale.json
//            --rtc wrtc (real @roamhq/wrtc connections instead of the stand-in; a few rooms only)
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { processUsage, startMosquittoPair, startNatsCluster } from './brokers.mjs';
import { ROOT } from '../../test/servers/process.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const LEVELS = (args.rooms ?? '100,1000,5000').split(',').map(Number);
const SETUPS = (args.setups ?? 'nats,mqtt').split(',');
const RATE = Number(args.rate ?? 60);
const WORKERS = Number(args.workers ?? 4);
const PEERS = Number(args.peers ?? 8);
const OUT = args.out ?? join(ROOT, 'bench/results/scale.json');
/** Bounded waits: a level gives up after its budget, or this long past its last join. */
const BUDGET_MS = Number(args.budget ?? 600) * 1000;
const SETTLE_MS = Number(args.settle ?? 60) * 1000;
const IDLE_MS = 5000;
const PER_CONNECTION = Number(args['peers-per-connection'] ?? 20);
/** 'fake' (signaling-only stand-in) or 'wrtc' (real @roamhq/wrtc connections). */
const RTC = args.rtc ?? 'fake';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const bounded = (promise, ms = 5000) => Promise.race([Promise.resolve(promise).catch(() => {}), sleep(ms)]);
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
const round = (x, digits = 1) => +x.toFixed(digits);

/** The engine bundled once to a file the workers import. */
const dir = mkdtempSync(join(tmpdir(), 'peerix-scale-'));
const engine = join(dir, 'peerix.mjs');
const bundle = await build({
  stdin: { contents: "export * from './src/index.ts'; export { expandDescription } from './src/signaling/sdp.ts';", resolveDir: ROOT, loader: 'ts' },
  bundle: true, format: 'esm', platform: 'node', target: 'node20', write: false, logLevel: 'error',
});
writeFileSync(engine, bundle.outputFiles[0].text);
const { connect: mqttConnect } = await import('mqtt');

/** Busy and total CPU jiffies of the whole machine (all cores), from /proc/stat. */
function machineCpu() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = fields.map(Number);
  const idle = n[3] + n[4];
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / 100, total: total / 100, at: Date.now() };
}

/** Broker message and byte counters, summed over the setup's nodes. */
async function counters(setup, monitors) {
  if (setup.kind === 'nats') {
    const all = await Promise.all(setup.nodes.map((n) => fetch(`${n.monitorUrl}/varz`).then((r) => r.json())));
    return all.reduce((s, v) => ({ inMsgs: s.inMsgs + v.in_msgs, outMsgs: s.outMsgs + v.out_msgs, inBytes: s.inBytes + v.in_bytes, outBytes: s.outBytes + v.out_bytes }), { inMsgs: 0, outMsgs: 0, inBytes: 0, outBytes: 0 });
  }
  // Mosquitto publishes its counters under $SYS every second (sys_interval 1): wait for a fresh set.
  await sleep(1100);
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

/** A forked load worker with a promise per awaited message type. */
function startWorker(index) {
  const child = fork(join(ROOT, 'bench/scale/load-worker.mjs'), [], { cwd: ROOT, execArgv: ['--max-old-space-size=6144'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const worker = { index, child, progress: { joinsIssued: 0, joinsDone: 0, pairs: 0, loopDelayMaxMs: 0 }, issuedAt: 0, waiters: new Map() };
  child.on('message', (message) => {
    if (message.type === 'progress') worker.progress = message;
    if (message.type === 'issued') worker.issuedAt = message.at;
    worker.waiters.get(message.type)?.(message);
  });
  worker.request = (type, reply, ms) => new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    worker.waiters.set(reply, (m) => { clearTimeout(timer); resolve(m); });
    if (child.connected) child.send({ type });
  });
  worker.stop = () => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch {} }, 3000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    try { process.kill(child.pid, 'SIGTERM'); } catch { clearTimeout(timer); resolve(); }
  });
  return worker;
}

let current = null;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await current?.();
    rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  });
}

async function runLevel(setupKind, rooms) {
  const setup = setupKind === 'nats' ? { kind: 'nats', ...(await startNatsCluster()) } : { kind: 'mqtt', ...(await startMosquittoPair()) };
  const monitors = setup.kind === 'mqtt' ? setup.nodes.map(mosquittoMonitor) : [];
  const workerCount = Math.min(WORKERS, rooms);
  const workers = Array.from({ length: workerCount }, (_, i) => startWorker(i));
  current = async () => { await Promise.all(workers.map((w) => w.stop())); await setup.close(); };
  const loads = [];
  const sampleLoad = setInterval(() => loads.push(loadavg()[0]), 5000);
  try {
    await sleep(1500);
    const total = rooms * PEERS;
    const expected = rooms * (PEERS * (PEERS - 1)) / 2;
    const startAt = Date.now() + 1000;
    const base = { usage: setup.nodes.map((n) => processUsage(n.pid)), counters: await counters(setup, monitors), machine: machineCpu(), at: Date.now() };
    const nodes = setup.nodes.map((n) => ({ natsUrl: n.natsUrl, mqttUrl: n.mqttUrl }));
    workers.forEach((w, i) => {
      const mine = [];
      for (let r = i; r < rooms; r += workerCount) mine.push(r);
      w.child.send({ type: 'start', engine: `file://${engine}`, setup: { kind: setup.kind, nodes }, rooms: mine, peersPerRoom: PEERS, rate: (RATE * mine.length) / rooms, startAt, perConnection: PER_CONNECTION, rtc: RTC });
    });
    const sum = (key) => workers.reduce((s, w) => s + w.progress[key], 0);
    const progress = setInterval(() => console.log(`  ${((Date.now() - startAt) / 1000).toFixed(0)} s: ${sum('joinsDone')}/${total} joined, ${sum('pairs')}/${expected} pairs, load ${loadavg()[0].toFixed(1)}, worst event-loop stall ${Math.max(...workers.map((w) => w.progress.loopDelayMaxMs)).toFixed(0)} ms`), 10000);
    // Bounded: all pairs, or the budget, or SETTLE_MS past the last join issued.
    for (;;) {
      await sleep(500);
      const issued = workers.every((w) => w.issuedAt) ? Math.max(...workers.map((w) => w.issuedAt)) : 0;
      if (sum('pairs') >= expected) break;
      if (Date.now() - startAt > BUDGET_MS) break;
      if (issued && Date.now() - issued > SETTLE_MS) break;
    }
    clearInterval(progress);
    const settled = Date.now();
    const after = { usage: setup.nodes.map((n) => processUsage(n.pid)), counters: await counters(setup, monitors), machine: machineCpu() };
    // A starved worker can stall for tens of seconds: its report is waited for (bounded).
    const reports = (await Promise.all(workers.map((w) => w.request('report', 'report', 180000)))).filter(Boolean);

    // Idle: connected rooms must cost the brokers nothing.
    const idleStart = await counters(setup, monitors);
    await sleep(IDLE_MS);
    const idleEnd = await counters(setup, monitors);
    const idleUsage = setup.nodes.map((n) => processUsage(n.pid));

    // Everyone leaves (Bye on each room).
    const left = await Promise.all(workers.map((w) => w.request('leave', 'left', 60000)));

    const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const pairsConnected = reports.reduce((s, r) => s + r.pairs, 0);
    const joinsDone = reports.reduce((s, r) => s + r.joinsDone, 0);
    const lastPair = Math.max(...reports.map((r) => r.lastPairAt));
    // Rates over the filling time: to the last pair when complete, else to where the level stopped.
    const complete = pairsConnected >= expected;
    const seconds = ((complete ? Math.max(lastPair, startAt + 1) : settled) - startAt) / 1000;
    const wall = (settled - base.at) / 1000;
    const phase = (key) => after.counters[key] - base.counters[key];
    const clientCpu = reports.reduce((s, r) => s + r.cpuSeconds, 0);
    const brokerCpu = after.usage.reduce((s, u, i) => s + u.cpu - base.usage[i].cpu, 0);
    const machineBusy = after.machine.busy - base.machine.busy;
    const machineWall = (after.machine.at - base.machine.at) / 1000;
    const errors = {};
    for (const r of reports) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
    const errorSamples = {};
    for (const r of reports) for (const [k, v] of Object.entries(r.errorSamples ?? {})) errorSamples[k] = [...new Set([...(errorSamples[k] ?? []), ...v])].slice(0, 3);
    return {
      setup: setup.kind === 'nats' ? `nats-server cluster (${setup.nodes.length} nodes)` : 'Mosquitto ×2 (bridged)',
      rooms,
      peers: total,
      workers: workerCount,
      workersReported: reports.length,
      rtc: RTC === 'wrtc' ? '@roamhq/wrtc (real connections)' : 'signaling-only stand-in (fake-rtc.mjs)',
      offeredRate: RATE,
      complete,
      joinsDone,
      pairsExpected: expected,
      pairsConnected,
      pairsConnectedByEvent: reports.reduce((s, r) => s + r.pairsConnectedByEvent, 0),
      seconds: round(seconds, 2),
      joinsPerSecond: round(joinsDone / seconds),
      pairsWithoutAnnounceTime: reports.reduce((s, r) => s + r.unmeasured, 0),
      announceToAnswerMs: { p50: round(pct(latencies, 50)), p90: round(pct(latencies, 90)), p99: round(pct(latencies, 99)), max: round(latencies.at(-1) ?? NaN) },
      broker: {
        inMsgsPerSecond: Math.round(phase('inMsgs') / seconds),
        outMsgsPerSecond: Math.round(phase('outMsgs') / seconds),
        inBytesPerSecond: Math.round(phase('inBytes') / seconds),
        outBytesPerSecond: Math.round(phase('outBytes') / seconds),
        inMsgs: phase('inMsgs'),
        outMsgs: phase('outMsgs'),
        inBytes: phase('inBytes'),
        outBytes: phase('outBytes'),
        idleSeconds: IDLE_MS / 1000,
        idleInMsgs: idleEnd.inMsgs - idleStart.inMsgs,
        idleOutMsgs: idleEnd.outMsgs - idleStart.outMsgs,
        idleInBytes: idleEnd.inBytes - idleStart.inBytes,
      },
      nodes: setup.nodes.map((n, i) => ({
        name: n.name,
        cpuPercentOfOneCore: round(((after.usage[i].cpu - base.usage[i].cpu) / wall) * 100),
        cpuSeconds: round(after.usage[i].cpu - base.usage[i].cpu, 2),
        idleCpuPercentOfOneCore: round(((idleUsage[i].cpu - after.usage[i].cpu) / ((Date.now() - settled) / 1000)) * 100),
        rssMiB: round(after.usage[i].rss / 2 ** 20),
        rssGrowthMiB: round((after.usage[i].rss - base.usage[i].rss) / 2 ** 20),
      })),
      loadGenerator: {
        cpuSeconds: round(clientCpu),
        cpuMsPerJoin: round((clientCpu / Math.max(1, joinsDone)) * 1000),
        cpuPercentOfOneCorePerWorker: reports.map((r) => round((r.cpuSeconds / wall) * 100)),
        rssMiBPerWorker: reports.map((r) => round(r.rssMiB, 0)),
        eventLoopDelayMs: reports.map((r) => ({ p99: round(r.loopDelay.p99Ms), max: round(r.loopDelay.maxMs) })),
      },
      machine: {
        cores: 2,
        busyCores: round(machineBusy / machineWall, 2),
        otherJobsCores: round((machineBusy - clientCpu - brokerCpu) / machineWall, 2),
        loadAverage1m: { min: round(Math.min(...loads, loadavg()[0])), mean: round(loads.length ? loads.reduce((a, b) => a + b, 0) / loads.length : loadavg()[0]), max: round(Math.max(...loads, loadavg()[0])) },
      },
      leaveSeconds: round(Math.max(0, ...left.filter(Boolean).map((l) => l.seconds)), 2),
      connectionsClosedBeforeLeave: reports.reduce((s, r) => s + r.rebuilds, 0),
      errors,
      errorSamples,
    };
  } finally {
    clearInterval(sampleLoad);
    await Promise.all(workers.map((w) => w.stop()));
    for (const m of monitors) await bounded(m.close());
    await setup.close();
    current = null;
  }
}

const results = [];
for (const setup of SETUPS) {
  for (const rooms of LEVELS) {
    console.log(`\n== ${setup}: ${rooms} rooms × ${PEERS} peers, joins offered at ${RATE}/s over ${Math.min(WORKERS, rooms)} worker processes`);
    const result = await runLevel(setup, rooms);
    console.log(JSON.stringify(result, null, 2));
    results.push(result);
    writeFileSync(OUT, JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2));
    if (!result.complete) console.log(`!! ${setup} at ${rooms} rooms: ${result.pairsConnected}/${result.pairsExpected} pairs within the budget`);
  }
}
rmSync(dir, { recursive: true, force: true });
console.log(`\nwritten to ${OUT}`);
process.exit(0);
