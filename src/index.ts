export { PeerixError, type PeerixErrorCode } from './errors.js';
export { Emitter, type EventName, type EventPayload, type Listener } from './emitter.js';
export { createDebug, isDebugEnabled, type DebugLogger } from './debug.js';
export { Driver, type DriverHandler, type DriverMessage, type DriverOptions, type DriverEvents } from './drivers/driver.js';
export { MemoryDriver } from './drivers/memory.js';
export { BroadcastChannelDriver } from './drivers/broadcast-channel.js';
export { Peer } from './peer.js';
export { RemotePeer, type PeerEvents, type PeerEventName } from './remote-peer.js';
export { Channel } from './channel.js';
export { Addon } from './addons/addon.js';
export { createRoomToken } from './signaling/keys.js';
export type {
  ConnectionState,
  JoinOptions,
  Metadata,
  OpenOptions,
  PeerOptions,
  PeerState,
  SendData,
  SendOptions,
  SendProgress,
  MediaWant,
  SenderParameters,
  ShareOptions,
} from './types.js';
export type { RemoteStats, SentVideoStats } from './remote/stats.js';
export { DEFAULT_UPLINK_BUDGET } from './uplink-budget.js';
export { MqttDriver, type MqttDriverOptions } from './drivers/mqtt.js';
export type { MqttClientLike } from './drivers/mqtt.js';
export { NatsDriver, type NatsDriverOptions, type NatsConnectionLike } from './drivers/nats.js';
export { SocketIoDriver, type SocketIoDriverOptions, type SocketLike } from './drivers/socket-io.js';
export { SseDriver, type SseDriverOptions } from './drivers/sse.js';
export { SupabaseDriver, type SupabaseDriverOptions, type SupabaseClientLike, type SupabaseChannelLike } from './drivers/supabase.js';
export { CentrifugeDriver, type CentrifugeDriverOptions, type CentrifugeLike, type CentrifugeSubscriptionLike } from './drivers/centrifuge.js';
