import type { RemoteEvents } from '../events.js';
import type { RemoteLimits } from '../limits.js';
import type { Rtc } from '../rtc.js';
import type { Metadata, OpenOptions } from '../types.js';
import type { SignalMessage } from '../signaling/messages.js';
import type { ShareEntry } from '../shares.js';
import type { UplinkTarget } from '../uplink.js';
import type { DisposeReason } from './liveness.js';

/** What a `RemotePeer` (`Remote`) needs from its `Peer`. */
export interface Host<Remote> {
  readonly localId: string;
  readonly localMetadata: Metadata;
  readonly rtcConfiguration: RTCConfiguration;
  /** The WebRTC classes to use (the browser's, or a Node implementation's). */
  readonly rtc: Rtc;
  readonly iceCandidateDebounce: number;
  readonly connectionTimeout: number;
  readonly heartbeatInterval: number;
  readonly heartbeatTimeout: number;
  /** What this remote may make us allocate. */
  readonly limits: RemoteLimits;
  /** Publishes a message to this remote through the broker (sealed for its session). */
  sendBroker(remote: Remote, message: SignalMessage): Promise<void>;
  /** Re-emits an event of this remote on the `Peer`. */
  forward<K extends keyof RemoteEvents<Remote> & string>(type: K, payload: RemoteEvents<Remote>[K]): void;
  /** Data channels and shares opened at the `Peer` level, for a new connection. */
  channelOptions(): Iterable<OpenOptions>;
  shares(): Iterable<ShareEntry>;
  /** The connection ended; `reason` tells whether a rebuild through the broker makes sense. */
  onDisposed(remote: Remote, reason: DisposeReason): void;
  /** A connection's video senders changed: the uplink budget is divided again. */
  videoChanged(target: UplinkTarget): void;
}

