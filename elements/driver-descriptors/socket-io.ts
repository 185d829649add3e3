import { defineDriver, lazyCreate } from '../driver-descriptor.js';

/** `driver="socket-io"`: a Socket.IO relay (`url`, default this origin; `token` as `auth.token`). */
export const socketIo = defineDriver({
  name: 'socket-io',
  client: { package: 'socket.io-client', entry: 'io' },
  // How it connects loads when a room first uses it (./socket-io-connect.ts: a chunk of its own).
  create: lazyCreate(() => import('./socket-io-connect.js')),
});
