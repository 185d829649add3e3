#!/usr/bin/env node
// STAND-IN for Centrifugo, written for Peerix's tests: no Centrifugo server
// can run here. It speaks the part of Centrifugo's client protocol (v2, JSON
// over WebSocket at /connection/websocket) that the `centrifuge` client uses:
//
//   frames hold one or more JSON commands separated by "\n"; replies carry the command id
//   connect → { client, version, ping, pong: true }     subscribe / unsubscribe → {}
//   publish { channel, data } → {}, and a push { channel, pub: { data, info } } to every
//     subscriber of the channel, the publisher included (as Centrifugo does)
//   server pings are empty objects "{}" every `ping` seconds; the client answers "{}"
//   anything else (rpc, presence, history, refresh…) → error 108 "not available"
//
// Like a Centrifugo with `allow_subscribe_for_client`, `allow_publish_for_client`
// on every channel and no token checks.
// Run: node test/servers/centrifugo-stand-in.mjs --port 8000 [--ping 25]
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';

export async function startCentrifugoStandIn({ port = 8000, host = '127.0.0.1', ping = 25 } = {}) {
  const http = createServer((req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server: http, path: '/connection/websocket', maxPayload: 65536 });
  /** channel → Set<client> */
  const channels = new Map();
  const log = process.env.PEERIX_SERVER_LOG ? (...a) => console.log('[centrifugo]', ...a) : () => {};

  wss.on('connection', (ws) => {
    const client = { id: randomUUID(), ws, channels: new Set(), connected: false };
    const send = (...replies) => ws.readyState === ws.OPEN && ws.send(replies.map((r) => JSON.stringify(r)).join('\n'));
    const timer = setInterval(() => client.connected && send({}), ping * 1000);

    const handle = (cmd) => {
      const { id } = cmd;
      if (cmd.connect) {
        client.connected = true;
        return send({ id, connect: { client: client.id, version: '0.0.0-peerix-stand-in', ping, pong: true } });
      }
      if (!client.connected) return ws.close(3501, 'bad request');
      if (cmd.subscribe) {
        const { channel } = cmd.subscribe;
        if (typeof channel !== 'string' || !channel) return send({ id, error: { code: 107, message: 'bad request' } });
        if (client.channels.has(channel)) return send({ id, error: { code: 105, message: 'already subscribed' } });
        client.channels.add(channel);
        if (!channels.has(channel)) channels.set(channel, new Set());
        channels.get(channel).add(client);
        return send({ id, subscribe: {} });
      }
      if (cmd.unsubscribe) {
        const { channel } = cmd.unsubscribe;
        client.channels.delete(channel);
        channels.get(channel)?.delete(client);
        if (channels.get(channel)?.size === 0) channels.delete(channel);
        return send({ id, unsubscribe: {} });
      }
      if (cmd.publish) {
        const { channel, data } = cmd.publish;
        if (typeof channel !== 'string' || !channel || data === undefined) return send({ id, error: { code: 107, message: 'bad request' } });
        send({ id, publish: {} });
        const pub = { data, info: { client: client.id, user: '' } };
        for (const member of channels.get(channel) ?? []) {
          if (member.ws.readyState === member.ws.OPEN) member.ws.send(JSON.stringify({ push: { channel, pub } }));
        }
        return;
      }
      if (id) return send({ id, error: { code: 108, message: 'not available' } });
      // "{}" without an id: the client's pong.
    };

    ws.on('message', (data) => {
      for (const line of String(data).split('\n')) {
        if (!line.trim()) continue;
        try {
          const cmd = JSON.parse(line);
          log(JSON.stringify(cmd).slice(0, 200));
          handle(cmd);
        } catch {
          ws.close(3501, 'bad request');
          return;
        }
      }
    });
    ws.on('close', () => {
      clearInterval(timer);
      for (const channel of client.channels) {
        channels.get(channel)?.delete(client);
        if (channels.get(channel)?.size === 0) channels.delete(channel);
      }
    });
  });

  await new Promise((resolve, reject) => http.once('error', reject).listen(port, host, resolve));
  const actual = http.address().port;
  return {
    url: `ws://${host}:${actual}/connection/websocket`,
    port: actual,
    close: () => new Promise((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      http.close(() => resolve());
    }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
  const { url } = await startCentrifugoStandIn({ port: Number(arg('port') ?? 8000), host: arg('host') ?? '127.0.0.1', ping: Number(arg('ping') ?? 25) });
  console.log(`Centrifugo stand-in on ${url}`);
}
