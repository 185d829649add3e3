import { defineDriver, lazyCreate } from '../driver-descriptor.js';

/** `driver="sse"`: a Mercure hub (`url`, default /.well-known/mercure; `token` as the publisher's bearer). */
export const sse = defineDriver({
  name: 'sse',
  // How it connects loads when a room first uses it (./sse-connect.ts: a chunk of its own).
  create: lazyCreate(() => import('./sse-connect.js')),
});
