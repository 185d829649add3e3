#!/usr/bin/env node
// Embedded MQTT broker: MQTT over WebSocket with aedes, for `npm start` and for
// tests; nothing else to install.
//
//   node servers/embedded-broker.mjs [--port 8883] [--host 0.0.0.0] [--path /mqtt]
//
// As a module: `await startEmbeddedBroker({ port })`, or `{ server }` to share
// an existing http server (e.g. the demo's) — then the broker answers
// WebSocket upgrades on `path` only and leaves the other requests alone.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';

/** Largest MQTT packet accepted (bytes). */
export const MAX_PACKET = 256 * 1024;

export async function startEmbeddedBroker({ port = 8883, host = '127.0.0.1', path = '/mqtt', server } = {}) {
  const aedes = await Aedes.createBroker();
  const http = server ?? createServer((req, res) => res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket only\n'));
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_PACKET,
    handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : protocols.has('mqttv3.1') ? 'mqttv3.1' : false),
  });
  const onUpgrade = (req, socket, head) => {
    if (new URL(req.url, 'http://broker').pathname !== path) return; // someone else's upgrade
    wss.handleUpgrade(req, socket, head, (ws) => {
      const stream = createWebSocketStream(ws);
      stream.on('error', () => ws.terminate());
      aedes.handle(stream, req);
    });
  };
  http.on('upgrade', onUpgrade);
  if (!server) await new Promise((resolve, reject) => http.once('error', reject).listen(port, host, resolve));
  const actual = http.address()?.port ?? port;
  return {
    url: `ws://${host.includes(':') ? `[${host}]` : host}:${actual}${path}`,
    port: actual,
    aedes,
    close: () => new Promise((resolve) => {
      http.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      aedes.close(() => {
        if (server) return resolve();
        http.closeAllConnections?.();
        http.close(() => resolve());
      });
    }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
  const { url } = await startEmbeddedBroker({
    port: Number(arg('port') ?? process.env.PORT ?? 8883),
    host: arg('host') ?? process.env.HOST ?? '0.0.0.0',
    path: arg('path') ?? '/mqtt',
  });
  console.log(`peerix embedded MQTT broker on ${url}`);
}
