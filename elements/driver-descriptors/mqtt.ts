import { defineDriver, lazyCreate } from '../driver-descriptor.js';

/** `driver="mqtt"`: an MQTT broker over WebSocket (`url`, default /mqtt; `token` and `key` as password and username). */
export const mqtt = defineDriver({
  name: 'mqtt',
  client: { package: 'mqtt', entry: 'connect' },
  // How it connects loads when a room first uses it (./mqtt-connect.ts: a chunk of its own).
  create: lazyCreate(() => import('./mqtt-connect.js')),
});
