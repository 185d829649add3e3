// The Node servers of the repository, each run as its own process on a free
// loopback port and stopped by PID; each can `stop()` and `start()` again on
// the same port.
import { startRestartableNodeServer as startNodeServer } from './process.mjs';

/** servers/socket-io-server.mjs → { url: 'http://127.0.0.1:port', close() } */
export const startSocketIoServer = (args = []) => startNodeServer('servers/socket-io-server.mjs', args);

/** servers/sse-hub.mjs → { url: 'http://127.0.0.1:port/.well-known/mercure', close() }; `--token T` requires a bearer token. */
export const startSseHub = (args = []) => startNodeServer('servers/sse-hub.mjs', args);

/** servers/embedded-broker.mjs (aedes, MQTT 3.1.1 over WebSocket) → { url: 'ws://127.0.0.1:port/mqtt', close() } */
export const startAedes = (args = []) => startNodeServer('servers/embedded-broker.mjs', args);

/** The Supabase Realtime stand-in → { url: 'http://127.0.0.1:port' (the project URL), close() } */
export const startSupabaseStandIn = (args = []) => startNodeServer('test/servers/supabase-stand-in.mjs', args);

/** The Centrifugo stand-in → { url: 'ws://127.0.0.1:port/connection/websocket', close() } */
export const startCentrifugoStandIn = (args = []) => startNodeServer('test/servers/centrifugo-stand-in.mjs', args);
