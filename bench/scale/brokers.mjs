// The clustered brokers of the scale benchmark and of the cluster call test, on
// loopback, stopped by PID: a 3-node nats-server cluster (full mesh of routes,
// TCP, WebSocket and monitoring listeners per node) and two Mosquitto brokers
// joined by a bridge (B connects to A and carries every topic both ways).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requireBinary, spawnLogged, stopChild, waitForPort } from '../../test/servers/process.mjs';

/** One broker process that can be stopped and started again on the same ports. */
function daemon(cmd, args, ports) {
  let child = null;
  return {
    get pid() { return child?.pid; },
    get running() { return !!child; },
    async start() {
      if (child) return;
      child = spawnLogged(cmd, args);
      for (const port of ports) await waitForPort(port, { child, timeout: 15000 });
    },
    async stop() {
      const c = child;
      child = null;
      await stopChild(c);
    },
  };
}

/** A 3-node (or `size`-node) nats-server cluster. Each node: `{ natsUrl, url (ws), monitorUrl, pid, stop(), start() }`. */
export async function startNatsCluster({ size = 3 } = {}) {
  const bin = requireBinary('nats-server', 'nats-server');
  const dir = mkdtempSync(join(tmpdir(), 'peerix-nats-cluster-'));
  const ports = [];
  for (let i = 0; i < size; i++) ports.push({ client: await freePort(), ws: await freePort(), route: await freePort(), http: await freePort() });
  const nodes = ports.map((p, i) => {
    const routes = ports.filter((_, j) => j !== i).map((o) => `nats-route://127.0.0.1:${o.route}`);
    const config = join(dir, `node${i}.conf`);
    writeFileSync(config, [
      `server_name: peerix-n${i}`,
      `listen: "127.0.0.1:${p.client}"`,
      `http: "127.0.0.1:${p.http}"`,
      'max_payload: 1MB',
      `websocket {\n  listen: "127.0.0.1:${p.ws}"\n  no_tls: true\n}`,
      `cluster {\n  name: peerix\n  listen: "127.0.0.1:${p.route}"\n  routes: [${routes.map((r) => `"${r}"`).join(', ')}]\n}`,
      '',
    ].join('\n'));
    return Object.assign(daemon(bin, ['-c', config], [p.client, p.ws, p.http]), {
      name: `n${i}`,
      natsUrl: `nats://127.0.0.1:${p.client}`,
      url: `ws://127.0.0.1:${p.ws}`,
      monitorUrl: `http://127.0.0.1:${p.http}`,
    });
  });
  for (const node of nodes) await node.start();
  await waitForRoutes(nodes, size - 1);
  return {
    nodes,
    waitForRoutes: (expected = size - 1) => waitForRoutes(nodes.filter((n) => n.running), expected),
    async close() {
      for (const node of nodes) await node.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once every running node reports `expected` routes (the cluster formed). */
async function waitForRoutes(nodes, expected, timeout = 20000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const counts = await Promise.all(nodes.map((n) => fetch(`${n.monitorUrl}/routez`).then((r) => r.json()).then((j) => j.num_routes).catch(() => -1)));
    if (counts.every((c) => c >= expected)) return;
    if (Date.now() > deadline) throw new Error(`NATS cluster did not form: routes per node ${counts.join(', ')} (want ${expected})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Two Mosquitto brokers, B bridged to A over MQTT 5 for every topic, both ways. Each: `{ mqttUrl, url (ws), pid, ... }`. */
export async function startMosquittoPair() {
  const bin = requireBinary('mosquitto', 'mosquitto');
  const dir = mkdtempSync(join(tmpdir(), 'peerix-mosquitto-pair-'));
  const a = { mqtt: await freePort(), ws: await freePort() };
  const b = { mqtt: await freePort(), ws: await freePort() };
  const base = (p) => [
    'per_listener_settings false',
    'allow_anonymous true',
    'persistence false',
    'max_queued_messages 10000',
    'sys_interval 1',
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    `listener ${p.mqtt} 127.0.0.1`,
    'protocol mqtt',
    `listener ${p.ws} 127.0.0.1`,
    'protocol websockets',
    'socket_domain ipv4',
  ];
  writeFileSync(join(dir, 'a.conf'), [...base(a), ''].join('\n'));
  writeFileSync(join(dir, 'b.conf'), [
    ...base(b),
    'connection bridge-to-a',
    `address 127.0.0.1:${a.mqtt}`,
    'bridge_protocol_version mqttv50',
    'topic # both 1',
    'cleansession true',
    'restart_timeout 1 5',
    '',
  ].join('\n'));
  const brokers = [
    Object.assign(daemon(bin, ['-c', join(dir, 'a.conf')], [a.mqtt, a.ws]), { name: 'A', mqttUrl: `mqtt://127.0.0.1:${a.mqtt}`, url: `ws://127.0.0.1:${a.ws}/mqtt` }),
    Object.assign(daemon(bin, ['-c', join(dir, 'b.conf')], [b.mqtt, b.ws]), { name: 'B', mqttUrl: `mqtt://127.0.0.1:${b.mqtt}`, url: `ws://127.0.0.1:${b.ws}/mqtt` }),
  ];
  for (const broker of brokers) await broker.start();
  return {
    nodes: brokers,
    async close() {
      for (const broker of brokers) await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const TICKS = 100; // USER_HZ on Linux
/** CPU seconds (user + system) and resident memory of a process, from /proc. */
export function processUsage(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(fields[11]) + Number(fields[12])) / TICKS;
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    return { cpu, rss };
  } catch {
    return { cpu: 0, rss: 0 };
  }
}
