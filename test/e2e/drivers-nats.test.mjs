// NatsDriver against Debian's nats-server (WebSocket listener, no TLS), started here.
import { describe } from 'node:test';
import { connect } from 'node:net';
import { driverSuite } from './drivers-suite.mjs';
import { startNats } from '../servers/nats.mjs';

/** Raw NATS protocol over TCP: an empty and an oversized message on `subject`. */
function garbage(server, subject) {
  const { hostname, port } = new URL(server.natsUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const big = Buffer.alloc(70 * 1024, 1);
    socket.on('error', reject);
    socket.once('data', () => {
      socket.write(`CONNECT {"verbose":false,"pedantic":false}\r\nPUB ${subject} 0\r\n\r\nPUB ${subject} ${big.length}\r\n`);
      socket.write(big);
      socket.write('\r\nPING\r\n');
      socket.on('data', (d) => { if (/PONG/.test(String(d))) { socket.end(); resolve(2); } });
    });
  });
}

describe('NatsDriver + nats-server', () => {
  driverSuite({
    name: 'nats',
    start: startNats,
    bundle: 'drivers/nats.js',
    client: `async (url, { slow }) => {
      const { wsconnect } = await T.load('nats-core.js');
      return wsconnect({ servers: url, reconnectTimeWait: slow ? 2500 : 250, maxReconnectAttempts: -1, waitOnFirstConnect: true });
    }`,
    driver: `(M, nc, prefix) => new M.NatsDriver({ nc, prefix: prefix.replace('/', '.') })`,
    listeners: `(nc) => 'status:' + nc.protocol.listeners.length + ' subs:' + nc.protocol.subscriptions.size()`,
    topic: (prefix, ns) => prefix.replace('/', '.') + ns.join('.'),
    echo: true, // NATS delivers a connection's own messages unless it connects with noEcho
    garbage,
  });
});
