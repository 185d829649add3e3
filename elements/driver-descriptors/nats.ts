import { defineDriver, lazyCreate } from '../driver-descriptor.js';

/** `driver="nats"`: a NATS server's WebSocket port (`url`, default /nats; `token`). */
export const nats = defineDriver({
  name: 'nats',
  client: { package: '@nats-io/nats-core', entry: 'wsconnect' },
  // How it connects loads when a room first uses it (./nats-connect.ts: a chunk of its own).
  create: lazyCreate(() => import('./nats-connect.js')),
});
