/**
 * The drivers `<peerix-room driver="…">` knows, each described once in its
 * module (name, client package, how to build it). A new driver: add its module
 * here and, when it has a client library, an entry in elements/drivers/.
 */
import { broadcastChannel } from './broadcast-channel.js';
import { centrifuge } from './centrifuge.js';
import { memory } from './memory.js';
import { mqtt } from './mqtt.js';
import { nats } from './nats.js';
import { socketIo } from './socket-io.js';
import { sse } from './sse.js';
import { supabase } from './supabase.js';

export const DRIVERS = [memory, broadcastChannel, mqtt, nats, socketIo, sse, supabase, centrifuge] as const;
