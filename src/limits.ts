/**
 * What a connected remote may make this peer allocate (docs/SECURITY.md,
 * "Remote allocations"). Each is a `Peer` option; crossing one is an `error`
 * event (ERR_LIMIT) naming the peer, and nothing is allocated past it.
 */
export interface RemoteLimits {
  /** Largest incoming chunked message, bytes. */
  maxIncomingMessage: number;
  /** Bytes of partial incoming messages held for one remote peer, across its channels. */
  maxIncomingBuffer: number;
  /** Chunked messages arriving at once on one channel. */
  maxIncomingTransfers: number;
  /** Data channels (labels) one remote may have open with this peer. */
  maxRemoteChannels: number;
  /** Streams one remote may announce or share with this peer. */
  maxRemoteStreams: number;
  /** Transceivers (m-lines) on one connection; a `Negotiate` past it is refused. */
  maxTransceivers: number;
}

export const DEFAULT_LIMITS: RemoteLimits = {
  maxIncomingMessage: 512 * 1024 * 1024,
  maxIncomingBuffer: 512 * 1024 * 1024,
  maxIncomingTransfers: 16,
  maxRemoteChannels: 64,
  maxRemoteStreams: 32,
  maxTransceivers: 64,
};

/** Fills in defaults and checks the values given (positive integers). */
export function resolveLimits(given: Partial<RemoteLimits>): RemoteLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof RemoteLimits)[]) {
    const value = given[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`${key} must be a positive integer`);
    limits[key] = value;
  }
  return limits;
}
