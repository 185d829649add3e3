// Signaling servers for `npm run bench`, each on 127.0.0.1, each stoppable:
// Mosquitto (a child process, stopped by PID), a PeerServer (the `peer`
// package on our own http server), a tiny WebSocket room relay for
// simple-peer, and a counting WebSocket proxy in front of each of them, so
// that the traffic of all four libraries is counted the same way: real
// frames and bytes between the browsers and the server.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { connect as tcpConnect, createConnection } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, WebSocket } from 'ws';
import { PeerServer } from 'peer';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForPort(port, timeout = 5000) {
  const start = Date.now();
  while (Date.now() - start < timeout) {
    const ok = await new Promise((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => { socket.destroy(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeout} ms`);
}

/** Mosquitto with a plain MQTT listener and a WebSocket listener, config from TESTING.md. */
export async function startMosquitto({ port = 18930, wsPort = 18931, bin = '/usr/sbin/mosquitto' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'peerix-bench-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  const lines = [
    'per_listener_settings false',
    'allow_anonymous true',
    'persistence false',
    'log_type error',
    // Mosquitto's default leaves Nagle on: a small packet that follows another waits for the
    // delayed ACK (40 ms on loopback); a publish and its reply between two Node.js clients took
    // 83 ms with the default and 39 ms with this (docs/drivers/mqtt.md).
    'set_tcp_nodelay true',
    `listener ${port} 127.0.0.1`,
    'protocol mqtt',
    `listener ${wsPort} 127.0.0.1`,
    'protocol websockets',
    'socket_domain ipv4',
  ];
  if (process.getuid?.() === 0) lines.push('user root');
  writeFileSync(conf, lines.join('\n') + '\n');
  const child = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    await Promise.race([Promise.all([waitForPort(port), waitForPort(wsPort)]),
      exited.then((code) => { throw new Error(`mosquitto exited (${code}): ${stderr.trim()}`); })]);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    wsPort,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(3000)]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function listen(server, port = 0) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server.address().port));
  });
}

function closeHttp(server) {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
    setTimeout(resolve, 2000).unref();
  });
}

/** A PeerServer (package `peer`) at `/` on 127.0.0.1, a free port. */
export async function startPeerServer() {
  const server = await new Promise((resolve, reject) => {
    const app = PeerServer({ port: 0, host: '127.0.0.1', path: '/', key: 'peerjs', allow_discovery: false }, resolve);
    app.on('error', reject);
  });
  return { port: server.address().port, stop: () => closeHttp(server) };
}

/**
 * The smallest useful relay for simple-peer: `{type:'join'}` answers with the
 * ids already in the room (`?room=` of the URL); `{type:'signal', to, data}`
 * is forwarded as `{type:'signal', from, data}`.
 */
export async function startRelay() {
  const http = createServer((req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server: http });
  const rooms = new Map();
  let nextId = 1;
  wss.on('connection', (ws, req) => {
    const room = new URL(req.url, 'http://x').searchParams.get('room') ?? '';
    const id = String(nextId++);
    let members;
    ws.on('message', (raw) => {
      let msg;
      try { msg = JSON.parse(raw); } catch { return; }
      if (msg.type === 'join') {
        members = rooms.get(room) ?? new Map();
        rooms.set(room, members);
        ws.send(JSON.stringify({ type: 'peers', id, peers: [...members.keys()] }));
        members.set(id, ws);
      } else if (msg.type === 'signal') {
        members?.get(String(msg.to))?.send(JSON.stringify({ type: 'signal', from: id, data: msg.data }));
      }
    });
    ws.on('close', () => {
      members?.delete(id);
      if (members && !members.size && rooms.get(room) === members) rooms.delete(room);
    });
  });
  const port = await listen(http);
  return {
    port,
    stop: async () => { for (const ws of wss.clients) ws.terminate(); wss.close(); await closeHttp(http); },
  };
}

/** Splits an MQTT byte stream into packets: calls `onPacket(type, size, packet)` for each. */
function mqttSplitter(onPacket) {
  let buffer = Buffer.alloc(0);
  return (chunk) => {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : Buffer.from(chunk);
    for (;;) {
      if (buffer.length < 2) return;
      let length = 0;
      let multiplier = 1;
      let i = 1;
      for (;;) {
        if (i >= buffer.length) return; // length not complete yet
        const byte = buffer[i++];
        length += (byte & 127) * multiplier;
        multiplier *= 128;
        if (!(byte & 128)) break;
        if (i > 4) { buffer = Buffer.alloc(0); return; } // garbage: give up on this stream
      }
      const size = i + length;
      if (buffer.length < size) return;
      onPacket(buffer[0] >> 4, size, buffer.subarray(0, size), i);
      buffer = buffer.subarray(size);
    }
  };
}

/** Application payload of a PUBLISH packet: its size minus header, topic, packet id and (MQTT 5) properties. */
function mqttPayloadSize(packet, headerLength, version) {
  let at = headerLength;
  const topicLength = packet.readUInt16BE(at);
  at += 2 + topicLength;
  if ((packet[0] >> 1) & 3) at += 2; // QoS > 0: packet id
  if (version === 5) {
    let length = 0;
    let multiplier = 1;
    let byte;
    do { byte = packet[at++]; length += (byte & 127) * multiplier; multiplier *= 128; } while (byte & 128 && at < packet.length);
    at += length;
  }
  return Math.max(0, packet.length - at);
}

/** Packet types that are signaling a client asked for, per protocol. */
const MQTT_PUBLISH = 3;
const MQTT_PINGREQ = 12;
const KEEPALIVE_TEXT = /^\{"type":"HEARTBEAT"/;

/**
 * A WebSocket server that forwards every connection to `target`:
 * `{ ws: 'ws://127.0.0.1:port' }` (path and query kept) or `{ tcp: port }`
 * (the WebSocket payload is the TCP stream: MQTT over WebSockets to a plain
 * MQTT listener). Counts, from `reset()` on:
 *   sent / sentBytes       — signaling messages clients published (MQTT PUBLISH
 *                            packets; text frames other than keep-alives)
 *   payloadBytes           — their application payload (MQTT: without header,
 *                            topic, packet id, properties; others: the frame)
 *   upFrames / upBytes     — everything clients sent (frames, payload bytes)
 *   downFrames / downBytes — everything the server sent to clients
 *   keepalives             — PINGREQ / HEARTBEAT messages
 *   connections            — WebSocket connections opened
 */
export async function startCountingProxy({ target, protocol = 'generic' }) {
  const http = createServer((req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({
    server: http,
    handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : [...protocols][0] ?? false),
    perMessageDeflate: false,
  });
  const counts = {};
  const reset = () => Object.assign(counts, { sent: 0, sentBytes: 0, payloadBytes: 0, upFrames: 0, upBytes: 0, downFrames: 0, downBytes: 0, keepalives: 0, connections: 0 });
  reset();
  const sockets = new Set();
  wss.on('connection', (client, req) => {
    counts.connections++;
    sockets.add(client);
    let version = 4;
    const up = protocol === 'mqtt' ? mqttSplitter((type, size, packet, headerLength) => {
      if (type === 1 && packet.length > headerLength + 6) version = packet[headerLength + 6]; // CONNECT: protocol level
      if (type === MQTT_PUBLISH) {
        counts.sent++;
        counts.sentBytes += size;
        counts.payloadBytes += mqttPayloadSize(packet, headerLength, version);
      }
      if (type === MQTT_PINGREQ) counts.keepalives++;
    }) : null;
    const countUp = (data, isBinary) => {
      const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
      counts.upFrames++;
      counts.upBytes += bytes.length;
      if (up) up(bytes);
      else if (!isBinary && KEEPALIVE_TEXT.test(bytes.toString('utf8', 0, 40))) counts.keepalives++;
      else { counts.sent++; counts.sentBytes += bytes.length; counts.payloadBytes += bytes.length; }
    };
    const countDown = (bytes) => { counts.downFrames++; counts.downBytes += bytes.length; };
    const pending = [];
    let backend;
    const close = () => { try { client.terminate(); } catch {} try { backend?.destroy?.(); backend?.terminate?.(); } catch {} sockets.delete(client); };
    if (target.tcp) {
      backend = tcpConnect({ host: '127.0.0.1', port: target.tcp });
      backend.setNoDelay(true);
      backend.on('connect', () => { for (const d of pending.splice(0)) backend.write(d); });
      backend.on('data', (d) => { countDown(d); client.send(d, { binary: true }); });
      backend.on('close', close);
      backend.on('error', close);
      client.on('message', (data, isBinary) => {
        countUp(data, isBinary);
        if (backend.connecting) pending.push(data); else backend.write(data);
      });
    } else {
      const url = new URL(req.url, target.ws);
      const protocols = req.headers['sec-websocket-protocol']?.split(',').map((s) => s.trim()).filter(Boolean);
      backend = new WebSocket(url, protocols, { perMessageDeflate: false });
      backend.on('open', () => { for (const [d, b] of pending.splice(0)) backend.send(d, { binary: b }); });
      backend.on('message', (d, isBinary) => { countDown(Buffer.isBuffer(d) ? d : Buffer.from(d)); client.send(d, { binary: isBinary }); });
      backend.on('close', close);
      backend.on('error', close);
      client.on('message', (data, isBinary) => {
        countUp(data, isBinary);
        if (backend.readyState === WebSocket.OPEN) backend.send(data, { binary: isBinary });
        else pending.push([data, isBinary]);
      });
    }
    client.on('close', close);
    client.on('error', close);
  });
  const port = await listen(http);
  return {
    port,
    url: `ws://127.0.0.1:${port}`,
    counts,
    reset,
    snapshot: () => ({ ...counts }),
    stop: async () => { for (const s of sockets) s.terminate(); wss.close(); await closeHttp(http); },
  };
}
