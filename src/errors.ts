/** Machine-readable reasons for a {@link PeerixError}; docs/errors.md explains each. */
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

/**
 * The long explanation of an error. The production build (scripts/build.mjs)
 * replaces every literal passed as an `ErrorMessage` by `''`, and the error then
 * says its code, a few words and where docs/errors.md explains it; the
 * development build (export condition `development`) keeps the full text.
 */
export type ErrorMessage = string;

/** A few words per code: what the production build says (docs/errors.md has the rest). */
const SHORT: Record<PeerixErrorCode, string> = {
  ERR_DECODE: 'malformed message',
  ERR_DECOMPRESS: 'bad compressed data',
  ERR_TOO_LARGE: 'too large',
  ERR_AUTH: 'authentication failed',
  ERR_STALE: 'stale message',
  ERR_REPLAY: 'replayed message',
  ERR_INVALID_ID: 'invalid peer id',
  ERR_INVALID_ARGUMENT: 'invalid argument',
  ERR_INVALID_STATE: 'invalid state',
  ERR_DRIVER: 'driver failed',
  ERR_VERIFY: 'refused by verify',
  ERR_TIMEOUT: 'timed out',
  ERR_CONNECTION: 'connection failed',
  ERR_CHANNEL: 'channel failed',
  ERR_MEDIA: 'media failed',
  ERR_UNEXPECTED: 'unexpected message',
  ERR_LIMIT: 'limit reached',
  ERR_VERSION: 'other protocol version',
};

/** `ERR_X: a few words (see peerix docs/errors.md#err_x)`: the message when none was given. */
function describe(code: PeerixErrorCode): string {
  return `${code}: ${SHORT[code] ?? 'error'} (see peerix docs/errors.md#${code.toLowerCase()})`;
}

/** The one error type Peerix throws or reports. */
export class PeerixError extends Error {
  override readonly name = 'PeerixError';
  readonly code: PeerixErrorCode;
  /** The remote peer involved, where known. */
  readonly peerId?: string;

  constructor(code: PeerixErrorCode, message: ErrorMessage, options: { cause?: unknown; peerId?: string } = {}) {
    super(message || describe(code));
    this.code = code;
    if (options.peerId !== undefined) this.peerId = options.peerId;
    if (options.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** Wraps anything thrown into a PeerixError, keeping one that already is. */
export function toPeerixError(error: unknown, code: PeerixErrorCode, message: ErrorMessage, peerId?: string): PeerixError {
  if (error instanceof PeerixError) return error;
  const detail = error instanceof Error ? `: ${error.message}` : '';
  return new PeerixError(code, (message || describe(code)) + detail, { cause: error, peerId });
}
