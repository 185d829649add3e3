import { defineDriver, lazyCreate } from '../driver-descriptor.js';

/** `driver="centrifuge"`: a Centrifugo server (`url`, default /connection/websocket; `token` as its JWT). */
export const centrifuge = defineDriver({
  name: 'centrifuge',
  client: { package: 'centrifuge', entry: 'Centrifuge' },
  // How it connects loads when a room first uses it (./centrifuge-connect.ts: a chunk of its own).
  create: lazyCreate(() => import('./centrifuge-connect.js')),
});
