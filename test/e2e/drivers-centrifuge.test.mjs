// CentrifugeDriver with the real `centrifuge` client in the page, against the
// Centrifugo STAND-IN (test/servers/centrifugo-stand-in.mjs) started here.
// With PEERIX_CENTRIFUGO_URL (ws://…/connection/websocket) and
// PEERIX_CENTRIFUGO_TOKEN (a connection JWT) set, the same tests run against
// that real server instead (the restart test is then skipped); its channels
// must allow client subscribe and publish.
import { describe } from 'node:test';
import WebSocket from 'ws';
import { driverSuite } from './drivers-suite.mjs';
import { startCentrifugoStandIn } from '../servers/node-servers.mjs';

const REAL_URL = process.env.PEERIX_CENTRIFUGO_URL;
const TOKEN = process.env.PEERIX_CENTRIFUGO_TOKEN ?? '';

/** A raw protocol client publishes data the driver never sends. */
async function garbage(server, channel) {
  const ws = new WebSocket(server.url);
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  const waiting = new Map();
  ws.on('message', (data) => {
    for (const line of String(data).split('\n')) {
      if (!line.trim()) continue;
      const reply = JSON.parse(line);
      if (reply.id) waiting.get(reply.id)?.(reply);
      else if (!reply.push) ws.send('{}'); // pong
    }
  });
  let id = 0;
  const call = (cmd) => new Promise((resolve) => { const i = ++id; waiting.set(i, resolve); ws.send(JSON.stringify({ id: i, ...cmd })); });
  await call({ connect: { token: TOKEN, name: 'peerix-garbage' } });
  const bad = [{ m: '***' }, { m: 5 }, { x: 1 }, 'text', 12, { m: 'AAAAA' }];
  for (const data of bad) await call({ publish: { channel, data } });
  ws.close();
  return bad.length;
}

describe(`CentrifugeDriver + ${REAL_URL ? REAL_URL : 'Centrifugo stand-in'}`, () => {
  driverSuite({
    name: 'centrifuge',
    start: REAL_URL ? async () => ({ url: REAL_URL, close: async () => {} }) : () => startCentrifugoStandIn(['--ping', '2']),
    restart: !REAL_URL,
    bundle: 'drivers/centrifuge.js',
    client: `async (url, { slow }) => {
      const { Centrifuge } = await T.load('centrifuge.js');
      const c = new Centrifuge(url, { token: '${TOKEN}', minReconnectDelay: slow ? 2500 : 200, maxReconnectDelay: slow ? 2500 : 500, maxServerPingDelay: 2000 });
      c.connect();
      return c;
    }`,
    driver: `(M, centrifuge, prefix) => new M.CentrifugeDriver({ centrifuge, prefix })`,
    listeners: `(c) => ['connected', 'connecting', 'disconnected'].map((e) => e + ':' + c.listenerCount(e)).join(' ') + ' subs:' + Object.keys(c.subscriptions()).length`,
    topic: (prefix, ns) => prefix + ns.join(':'),
    echo: true, // Centrifugo sends a publication to every subscriber, the publisher too
    garbage,
  });
});
