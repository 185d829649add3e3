// Peers in this Node process for the Node.js end-to-end tests: the engine
// bundled from src/ (no build step), @roamhq/wrtc as the WebRTC implementation,
// and the Node clients of the servers (mqtt over TCP, NATS over TCP,
// socket.io-client, and the `eventsource` package as Node 20's missing EventSource).
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ROOT } from './harness.mjs';

/** Bundles src/index.ts for Node into `outfile` (an ES module). */
export async function bundleEngine(outfile) {
  await build({ entryPoints: [join(ROOT, 'src/index.ts')], bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile, logLevel: 'error' });
  return outfile;
}

let engine;
/** The engine, bundled once from src/index.ts for Node. */
export async function loadPeerix() {
  if (!engine) {
    const dir = mkdtempSync(join(tmpdir(), 'peerix-node-'));
    engine = bundleEngine(join(dir, 'peerix.mjs'))
      .then((file) => import(pathToFileURL(file).href))
      .finally(() => rmSync(dir, { recursive: true, force: true }));
  }
  return engine;
}

/** The recommended implementation; fails with the install hint when missing. */
export async function loadWrtc() {
  try {
    return (await import('@roamhq/wrtc')).default;
  } catch (error) {
    throw new Error(`@roamhq/wrtc is not installed: run "npm install --save-dev @roamhq/wrtc" (${error.message})`);
  }
}

/**
 * A driver on a Node client: MQTT 5 over TCP, NATS over TCP, socket.io-client, or the
 * SSE driver (EventSource from the `eventsource` package where Node has none; `token`
 * is the hub's publisher token). By default the prefixes of test/e2e/pages/drivers-mesh.mjs.
 */
export async function nodeDriver(kind, server, prefix, { token } = {}) {
  const peerix = await loadPeerix();
  if (kind === 'mqtt') {
    const { connect } = await import('mqtt');
    const client = connect(server.mqttUrl, { protocolVersion: 5, reconnectPeriod: 500 });
    return { driver: new peerix.MqttDriver({ client, prefix: prefix ?? 'mesh/' }), close: () => client.endAsync() };
  }
  if (kind === 'nats') {
    const { connect } = await import('@nats-io/transport-node');
    const nc = await connect({ servers: server.natsUrl, reconnectTimeWait: 500, maxReconnectAttempts: -1 });
    return { driver: new peerix.NatsDriver({ nc, prefix: prefix ?? 'mesh.' }), close: () => nc.close() };
  }
  if (kind === 'socket-io') {
    const { io } = await import('socket.io-client');
    const socket = io(server.url, { transports: ['websocket'] });
    return { driver: new peerix.SocketIoDriver({ socket, prefix: prefix ?? 'peerix:' }), close: async () => socket.disconnect() };
  }
  if (kind === 'sse') {
    await installEventSource();
    const headers = token ? { Authorization: `Bearer ${token}` } : {};
    const driver = new peerix.SseDriver({ url: server.url, prefix: prefix ?? 'mesh/', publisher: { headers } });
    return { driver, close: async () => driver.destroy() };
  }
  throw new Error(`no Node client for ${kind}`);
}

/** Node 20 has no global EventSource (the SSE driver needs one): the `eventsource` package's, as docs/node.md says. */
export async function installEventSource() {
  if (globalThis.EventSource) return;
  try {
    globalThis.EventSource = (await import('eventsource')).EventSource;
  } catch (error) {
    throw new Error(`Node ${process.version} has no EventSource and the eventsource package is missing: run "npm install --save-dev eventsource" (${error.message})`);
  }
}

/**
 * A Node peer that records what the tests look at, like the page's window.state.
 * `close()` leaves, stops the driver's client and closes the received-video sinks.
 */
export async function startNodePeer({ kind, server, room, name, rtc, prefix, token, label = 'data', heartbeatTimeout }) {
  const peerix = await loadPeerix();
  const { driver, close } = await nodeDriver(kind, server, prefix, { token });
  const peer = new peerix.Peer({ driver, rtc, ...(heartbeatTimeout ? { heartbeatTimeout } : {}) });
  const state = { messages: [], binaries: [], tracks: [], closed: [], closedAt: new Map(), errors: [], frames: 0 };
  const sinks = [];
  peer.on('channel:message', ({ remote, data }) => {
    if (typeof data === 'string') state.messages.push(`${remote.metadata.name}:${data}`);
    else state.binaries.push({ from: remote.metadata.name, bytes: data.byteLength, sha256: createHash('sha256').update(new Uint8Array(data)).digest('hex') });
  });
  peer.on('track:add', ({ remote, track }) => {
    state.tracks.push({ from: remote.metadata.name, kind: track.kind });
    // wrtc decodes video: count the frames its sink hands out.
    if (track.kind === 'video' && rtc.nonstandard?.RTCVideoSink) {
      const sink = new rtc.nonstandard.RTCVideoSink(track);
      sink.onframe = () => state.frames++;
      sinks.push(sink);
    }
  });
  peer.on('connection:closed', ({ remote }) => {
    state.closed.push(remote.metadata.name);
    state.closedAt.set(remote.metadata.name, Date.now());
  });
  peer.on('error', ({ error }) => state.errors.push(`${error.code}: ${error.message}`));
  peer.open({ label });
  await peer.join({ room, metadata: { name } });
  return {
    name,
    peer,
    state,
    openChannels: () => [...peer.connections.values()].filter((r) => r.channels.get(label)?.readyState === 'open').map((r) => r.metadata.name).sort(),
    async close() {
      for (const sink of sinks) sink.stop();
      await peer.leave();
      await close();
    },
  };
}

/** Polls `fn` until it returns truthy, or fails after `timeout` ms naming `message`. */
export async function waitFor(fn, { timeout = 20000, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${message}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Collects unhandled rejections and uncaught exceptions instead of letting them
 * end the test process; the tests assert the list stays empty.
 */
export function guardProcess() {
  const problems = [];
  const onRejection = (reason) => problems.push(`unhandled rejection: ${reason?.stack ?? reason}`);
  const onException = (error) => problems.push(`uncaught exception: ${error?.stack ?? error}`);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  // @roamhq/wrtc 0.10 aborts in a native finalizer during Node's environment
  // teardown once it has received media from Chromium ("Check failed:
  // node->IsInUse()"), after every test passed. Its results are written by then
  // (pipes are synchronous on Linux): end the process with its code, without the teardown.
  process.once('exit', (code) => process.reallyExit(code));
  return {
    problems,
    dispose() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}

/** Deterministic bytes (the same generator runs in the page) and their SHA-256. */
export function patternBytes(size, seed) {
  const bytes = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    bytes[i] = x & 255; bytes[i + 1] = (x >>> 8) & 255; bytes[i + 2] = (x >>> 16) & 255; bytes[i + 3] = x >>> 24;
  }
  return bytes;
}
export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * Runs IN A PAGE (`page.evaluate(sendPattern, [size, seed, to])`, so it is self-contained):
 * the page's copy of patternBytes, sent to one peer by name.
 */
export async function sendPattern([size, seed, to]) {
  const bytes = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    bytes[i] = x & 255; bytes[i + 1] = (x >>> 8) & 255; bytes[i + 2] = (x >>> 16) & 255; bytes[i + 3] = x >>> 24;
  }
  const remote = [...window.peer.connections.values()].find((r) => r.metadata.name === to);
  await remote.send(bytes, { label: 'data' });
}
