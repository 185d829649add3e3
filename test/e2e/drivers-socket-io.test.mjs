// SocketIoDriver against the reference server servers/socket-io-server.mjs, started here.
import { describe } from 'node:test';
import { io } from 'socket.io-client';
import { driverSuite } from './drivers-suite.mjs';
import { startSocketIoServer } from '../servers/node-servers.mjs';

const PREFIX = 'peerix:';

/** A raw socket.io client dispatches payloads that are no bytes on the namespace. */
async function garbage(server, namespace) {
  const socket = io(server.url, { transports: ['websocket'], reconnection: false });
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('connect_error', reject); });
  const bad = ['text', { m: 1 }, null, 42, new Uint8Array(0), new Uint8Array(66 * 1024)];
  for (const payload of bad) await socket.timeout(2000).emitWithAck(PREFIX + 'dispatch', namespace, payload);
  socket.disconnect();
  return bad.length;
}

describe('SocketIoDriver + reference server', () => {
  driverSuite({
    name: 'socket.io',
    start: () => startSocketIoServer(['--prefix', PREFIX]),
    bundle: 'drivers/socket-io.js',
    client: `async (url, { slow }) => {
      const { io } = await T.load('socket.io-client.js');
      return io(url, { transports: ['websocket'], reconnectionDelay: slow ? 2500 : 200, reconnectionDelayMax: slow ? 2500 : 500, randomizationFactor: 0 });
    }`,
    driver: `(M, socket) => new M.SocketIoDriver({ socket, prefix: '${PREFIX}', ackTimeout: 3000 })`,
    listeners: `(s) => ['${PREFIX}message', 'connect', 'disconnect'].map((e) => e + ':' + s.listeners(e).length).join(' ')`,
    topic: (prefix, ns) => ns.join(':'),
    echo: false, // the server relays to the others
    garbage,
  });
});
