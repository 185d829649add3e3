#!/usr/bin/env node
// Reference Socket.IO server for Peerix's SocketIoDriver: every namespace is a
// room; `dispatch` goes to the other members of the room.
//
//   node servers/socket-io-server.mjs [--port 8080] [--host 0.0.0.0] [--prefix peerix:]
//   (or PORT / HOST / PEERIX_PREFIX in the environment)
//
// Protocol (prefix + event name, every client event acknowledged):
//   client → server  subscribe(namespace, ack)  unsubscribe(namespace, ack)  dispatch(namespace, payload, ack)
//   server → client  message(namespace, payload)
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';

/** Largest accepted payload (bytes); Socket.IO's own default is 1 MB. */
export const MAX_PAYLOAD = 64 * 1024;

/**
 * Starts the relay. Pass `server` to attach to an existing http server.
 * Resolves to `{ url, port, io, close() }`.
 */
export async function startSocketIoServer({ port = 8080, host = '127.0.0.1', prefix = '', server, path = '/socket.io' } = {}) {
  const http = server ?? createServer();
  const io = new Server(http, { path, cors: { origin: true, credentials: true }, maxHttpBufferSize: MAX_PAYLOAD + 4096 });
  const valid = (ns) => typeof ns === 'string' && ns.length > 0 && ns.length <= 512;
  const ack = (cb, error) => typeof cb === 'function' && cb(error ?? null);

  io.on('connection', (socket) => {
    socket.on(prefix + 'subscribe', (ns, cb) => {
      if (!valid(ns)) return ack(cb, 'bad namespace');
      socket.join(ns);
      ack(cb);
    });
    socket.on(prefix + 'unsubscribe', (ns, cb) => {
      if (!valid(ns)) return ack(cb, 'bad namespace');
      socket.leave(ns);
      ack(cb);
    });
    socket.on(prefix + 'dispatch', (ns, payload, cb) => {
      if (typeof payload === 'function') [payload, cb] = [undefined, payload];
      if (!valid(ns)) return ack(cb, 'bad namespace');
      socket.broadcast.to(ns).emit(prefix + 'message', ns, payload);
      ack(cb);
    });
  });

  if (!server) await new Promise((resolve, reject) => http.once('error', reject).listen(port, host, resolve));
  const actual = http.address()?.port ?? port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
    port: actual,
    io,
    close: () => new Promise((resolve) => io.close(() => resolve())),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
  const { url } = await startSocketIoServer({
    port: Number(arg('port') ?? process.env.PORT ?? 8080),
    host: arg('host') ?? process.env.HOST ?? '0.0.0.0',
    prefix: arg('prefix') ?? process.env.PEERIX_PREFIX ?? '',
  });
  console.log(`peerix socket.io relay on ${url}`);
}
