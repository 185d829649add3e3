import { BroadcastChannelDriver } from '../../src/index.js';
import { created, defineDriver } from '../driver-descriptor.js';

/** `driver="broadcast-channel"` (the default): tabs of one browser; `url` names the channel. */
export const broadcastChannel = defineDriver({
  name: 'broadcast-channel',
  create: ({ url, prefix }) => created(new BroadcastChannelDriver(url || 'peerix', { prefix })),
});
