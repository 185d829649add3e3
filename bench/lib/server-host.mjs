// The bench's servers in a Node process of their own: Mosquitto, a PeerServer,
// the simple-peer relay and their counting proxies. In the orchestrator's
// process they shared one event loop with Playwright, which stalled 50–400 ms
// while pages opened and so delayed every signaling hop of every library;
// real servers do not share a CPU queue with the browser's driver either.
// For the same reason the servers run at a higher priority (when allowed, as
// root): on 2 shared cores a busy Chromium otherwise starved even this idle
// process for 50–600 ms, as a server on its own machine never is.
//
// startServerHost() forks this file; the child starts the servers, reports
// their URLs, and answers `reset` / `snapshot` requests for a proxy's counts.
import { fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startMosquitto, startPeerServer, startRelay, startCountingProxy } from './servers.mjs';

const CHILD_FLAG = '--peerix-bench-server-host';
/** Nice value of the server processes (lower runs first); needs root, else they stay at the default. */
const SERVER_NICE = -10;

/** Raises `pid`'s priority; false when not allowed (not root). */
function raisePriority(pid) {
  try {
    setPriority(pid, SERVER_NICE);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the servers in a child process. `mqttVia`: 'tcp' (proxy → Mosquitto's
 * plain listener) or 'ws' (→ its WebSocket listener). Resolves to
 * `{ urls, pids, proxy(name), stop() }`; `proxy(name).reset()` / `.snapshot()`
 * are async (they ask the child).
 */
export async function startServerHost({ mqttVia = 'tcp' } = {}) {
  const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG, mqttVia], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map();
  let nextId = 1;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const ready = new Promise((resolve, reject) => {
    child.once('error', reject);
    exited.then((code) => reject(new Error(`bench server host exited (${code}) before it was ready`)));
    child.on('message', (message) => {
      if (message.type === 'ready') resolve(message);
      else if (message.type === 'failed') reject(new Error(`bench server host: ${message.error}`));
      else if (message.type === 'reply') {
        waiting.get(message.id)?.(message.counts);
        waiting.delete(message.id);
      }
    });
  });
  let info;
  try {
    info = await ready;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const ask = (op, proxy) => new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, resolve);
    child.send({ op, proxy, id }, (error) => error && reject(error));
  });
  return {
    urls: info.urls,
    /** True when the servers run at raised priority. */
    raised: info.raised,
    pids: { host: child.pid, mosquitto: info.mosquittoPid },
    proxy: (name) => ({ reset: () => ask('reset', name), snapshot: () => ask('snapshot', name) }),
    async stop() {
      if (child.exitCode !== null) return;
      child.send({ op: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function runHost(mqttVia) {
  const stops = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    const mosquitto = await startMosquitto();
    stops.push(() => mosquitto.stop());
    const peerServer = await startPeerServer();
    stops.push(() => peerServer.stop());
    const relay = await startRelay();
    stops.push(() => relay.stop());
    const proxies = {
      mqtt: await startCountingProxy({ target: mqttVia === 'ws' ? { ws: `ws://127.0.0.1:${mosquitto.wsPort}` } : { tcp: mosquitto.port }, protocol: 'mqtt' }),
      peerjs: await startCountingProxy({ target: { ws: `ws://127.0.0.1:${peerServer.port}` } }),
      relay: await startCountingProxy({ target: { ws: `ws://127.0.0.1:${relay.port}` } }),
    };
    for (const p of Object.values(proxies)) stops.push(() => p.stop());
    process.on('message', async (message) => {
      if (message.op === 'stop') {
        await stopAll();
        process.exit(0);
      }
      const proxy = proxies[message.proxy];
      if (message.op === 'reset') proxy.reset();
      process.send({ type: 'reply', id: message.id, counts: proxy.snapshot() });
    });
    // The orchestrator died without a stop: take Mosquitto down with us.
    process.on('disconnect', () => stopAll().finally(() => process.exit(0)));
    const raised = raisePriority(process.pid) && raisePriority(mosquitto.pid);
    process.send({
      type: 'ready',
      raised,
      mosquittoPid: mosquitto.pid,
      urls: { mqtt: proxies.mqtt.url, peerjs: `http://127.0.0.1:${proxies.peerjs.port}`, relay: proxies.relay.url },
    });
  } catch (error) {
    await stopAll();
    process.send({ type: 'failed', error: String(error?.message ?? error) });
    process.exit(1);
  }
}

if (process.argv[2] === CHILD_FLAG) runHost(process.argv[3]);
