import type { Driver } from './drivers/driver.js';
import type { RtcImplementation } from './rtc.js';

/** Metadata a peer shares when it joins: any JSON-serialisable object (at most 4 KiB as JSON). */
export type Metadata = Record<string, unknown>;

/** The state of one remote connection, as `connection:*` events report it. */
export type ConnectionState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

/** The state of the local `Peer`. */
export type PeerState = 'idle' | 'joining' | 'joined' | 'leaving';

export interface PeerOptions {
  /** Signaling transport; default: a new `MemoryDriver`. */
  driver?: Driver;
  /**
   * The WebRTC classes (`RTCPeerConnection`, and `MediaStream` for received media);
   * default: the global scope. In Node.js pass an implementation, e.g. `@roamhq/wrtc`.
   */
  rtc?: RtcImplementation;
  /** STUN/TURN servers for every connection. */
  iceServers?: RTCIceServer[];
  /** `relay` forces TURN. */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** Milliseconds to batch ICE candidates before they are signaled (default 50). */
  iceCandidateDebounce?: number;
  /** Milliseconds a connection may take to connect before it is given up (0 = no limit, the default). */
  connectionTimeout?: number;
  /** Hash room names into namespaces so brokers never see them (default true). */
  namespaceHashing?: boolean;
  /** Deflate signaling messages when that makes them smaller (default true). */
  signalingCompression?: boolean;
  /** Encrypt and authenticate signaling messages (default true). */
  signalingEncryption?: boolean;
  /**
   * A room secret: only peers that know it can read the room's broadcasts or
   * connect to its members (it enters every key). Use a long random one, e.g.
   * `createRoomToken()`; see docs/SECURITY.md.
   */
  secret?: string;
  /**
   * PBKDF2-SHA-256 iterations applied to `secret` before key derivation (default 0:
   * HKDF only, right for a random token). For a human-chosen secret, 600000 slows
   * offline guessing; every peer of the room must use the same value.
   */
  secretIterations?: number;
  /** Admit or refuse a remote peer before connecting to it. */
  verify?: (remote: { id: string; metadata: Metadata }) => boolean | Promise<boolean>;
  /** Milliseconds between in-band heartbeats (default 1000). */
  heartbeatInterval?: number;
  /**
   * Milliseconds without any message from a peer after which it counts as gone (default 4000),
   * unless media or data still arrive on its connection: then it is busy (a starved CPU delays
   * its heartbeats), not gone, and the connection is kept rather than rebuilt.
   */
  heartbeatTimeout?: number;
  /**
   * Setups in progress at once (held, verifying, connecting; default 32). Past it,
   * the oldest setup older than 1 s is evicted for the newest request.
   */
  maxPendingConnections?: number;
  /** Largest incoming chunked message in bytes (default 512 MiB). */
  maxIncomingMessage?: number;
  /** Bytes of partial incoming messages held per remote peer, all channels together (default 512 MiB). */
  maxIncomingBuffer?: number;
  /** Chunked messages arriving at once on one channel (default 16). */
  maxIncomingTransfers?: number;
  /** Data channels one remote peer may open with this peer (default 64). */
  maxRemoteChannels?: number;
  /** Streams one remote peer may announce or share (default 32). */
  maxRemoteStreams?: number;
  /** Transceivers on one connection; a remote's request for more is refused (default 64). */
  maxTransceivers?: number;
  /**
   * Bits per second for all video this peer sends, all connections together (default
   * 3000000; 0 = no limit). Divided among the video senders (a screen share counts as 3
   * cameras) and re-divided as peers join and leave; a small share also lowers the
   * resolution and frame rate. Explicit `videoParameters` and receivers' requests still
   * apply: the stricter wins. See the README's "Room size".
   */
  uplinkBudget?: number;
}

export interface JoinOptions {
  room: string;
  metadata?: Metadata;
}

/** Sender parameters applied to every encoding of the stream's audio or video tracks. */
export type SenderParameters = Partial<Pick<RTCRtpEncodingParameters, 'maxBitrate' | 'maxFramerate' | 'scaleResolutionDownBy' | 'active' | 'priority' | 'networkPriority'>>;

/**
 * What a receiver asks a sender to send of one stream on their connection
 * (`RemotePeer.request`): `{ video: false }` pauses its video (audio keeps flowing),
 * `{ maxHeight }` caps the frame height in pixels, `{}` lifts the request.
 */
export type MediaWant = { video: false } | { maxHeight: number } | { video?: true };

export interface ShareOptions {
  stream: MediaStream;
  /** Name the remote side sees (`stream:add` `label`); default: the stream id. */
  label?: string;
  /** Stop the stream's tracks when it is unshared or replaced under the same label. */
  managed?: boolean;
  audioParameters?: SenderParameters;
  videoParameters?: SenderParameters;
}

export interface OpenOptions extends RTCDataChannelInit {
  label: string;
}

export interface SendProgress {
  /** Bytes handed to the transport so far. */
  sent: number;
  /** Bytes in the whole message. */
  total: number;
}

export interface SendOptions {
  /** Channel label; without it the message goes on every open channel. */
  label?: string;
  /** Called as a large message leaves, chunk by chunk (and once for a small one). */
  onProgress?: (progress: SendProgress) => void;
}

/** What `send` accepts. */
export type SendData = string | Blob | ArrayBuffer | ArrayBufferView;
