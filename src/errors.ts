/** Machine-readable reasons for a {@link PeerixError}. */
export type PeerixErrorCode =
  /** A message could not be decoded: truncated, wrong field type, bad length. */
  | 'ERR_DECODE'
  /** A compressed message was malformed or inflated past the size cap. */
  | 'ERR_DECOMPRESS'
  /** A message or payload is larger than allowed. */
  | 'ERR_TOO_LARGE'
  /** Authentication failed: wrong key, wrong room secret, tampered bytes. */
  | 'ERR_AUTH'
  /** The message's timestamp is outside the freshness window. */
  | 'ERR_STALE'
  /** The message was seen before. */
  | 'ERR_REPLAY'
  /** A peer id is not a valid compressed P-256 public key. */
  | 'ERR_INVALID_ID'
  /** A caller passed an argument the API does not accept. */
  | 'ERR_INVALID_ARGUMENT'
  /** The operation needs a state the peer is not in (for example not joined). */
  | 'ERR_INVALID_STATE'
  /** The signaling driver failed to subscribe, publish or deliver. */
  | 'ERR_DRIVER'
  /** A remote peer was refused by the `verify` option. */
  | 'ERR_VERIFY'
  /** A connection did not reach `connected` within `connectionTimeout`. */
  | 'ERR_TIMEOUT'
  /** A connection failed and could not be rebuilt. */
  | 'ERR_CONNECTION'
  /** A data channel failed, or a message could not be delivered on it. */
  | 'ERR_CHANNEL'
  /** A media operation failed (share, unshare, setParameters). */
  | 'ERR_MEDIA'
  /** A well-formed message that makes no sense in the current state. */
  | 'ERR_UNEXPECTED'
  /** A limit was reached: setups in progress, setups per sender, or what a remote may make this peer allocate. */
  | 'ERR_LIMIT'
  /** A peer speaks another signaling protocol version (an older or newer Peerix). */
  | 'ERR_VERSION';

/** The one error type Peerix throws or reports. */
export class PeerixError extends Error {
  override readonly name = 'PeerixError';
  readonly code: PeerixErrorCode;
  /** The remote peer involved, where known. */
  readonly peerId?: string;

  constructor(code: PeerixErrorCode, message: string, options: { cause?: unknown; peerId?: string } = {}) {
    super(message);
    this.code = code;
    if (options.peerId !== undefined) this.peerId = options.peerId;
    if (options.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** Wraps anything thrown into a PeerixError, keeping one that already is. */
export function toPeerixError(error: unknown, code: PeerixErrorCode, message: string, peerId?: string): PeerixError {
  if (error instanceof PeerixError) return error;
  const detail = error instanceof Error ? `: ${error.message}` : '';
  return new PeerixError(code, message + detail, { cause: error, peerId });
}
