import type { Channel } from './channel.js';
import type { PeerixError } from './errors.js';
import type { ConnectionState } from './types.js';

// Generic over the remote's class so this file (and everything below RemotePeer)
// never imports RemotePeer: `PeerEvents` = `RemoteEvents<RemotePeer>`, in remote-peer.ts.

interface RemoteEvent<Remote> {
  remote: Remote;
}
interface ConnectionEvent<Remote> extends RemoteEvent<Remote> {
  state: ConnectionState;
}
interface ChannelEvent<Remote> extends RemoteEvent<Remote> {
  label: string;
  channel: Channel;
}
interface StreamEvent<Remote> extends RemoteEvent<Remote> {
  stream: MediaStream;
  label: string;
}
interface TrackEvent<Remote> extends StreamEvent<Remote> {
  track: MediaStreamTrack;
}

/** Every event a `Peer` (and, for its own connection, a `RemotePeer`) emits. */
export interface RemoteEvents<Remote> {
  'connection:new': ConnectionEvent<Remote>;
  'connection:connecting': ConnectionEvent<Remote>;
  'connection:connected': ConnectionEvent<Remote>;
  'connection:disconnected': ConnectionEvent<Remote>;
  'connection:failed': ConnectionEvent<Remote>;
  'connection:closed': ConnectionEvent<Remote>;
  'channel:new': ChannelEvent<Remote>;
  'channel:open': ChannelEvent<Remote>;
  'channel:close': ChannelEvent<Remote>;
  /** Strings arrive as strings; binary as `ArrayBuffer`. */
  'channel:message': ChannelEvent<Remote> & { data: string | ArrayBuffer };
  /** A large message is arriving: `received` of `total` bytes. */
  'channel:progress': ChannelEvent<Remote> & { received: number; total: number };
  'channel:error': ChannelEvent<Remote> & { error: PeerixError };
  'stream:add': StreamEvent<Remote>;
  'stream:remove': StreamEvent<Remote>;
  'track:add': TrackEvent<Remote>;
  'track:remove': TrackEvent<Remote>;
  /** Anything that went wrong: bad remote input, driver trouble, failed connections. */
  error: { error: PeerixError; remote?: Remote; peerId?: string };
}

/** An event of one remote, as its parts report it: `RemotePeer` adds `remote`. */
export type PartEvent<K extends keyof RemoteEvents<unknown>> = Omit<RemoteEvents<unknown>[K], 'remote'>;

/** How a part reports an event of its remote. */
export type EmitPart = <K extends keyof RemoteEvents<unknown> & string>(type: K, payload: PartEvent<K>) => void;
