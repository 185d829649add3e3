import type { RemotePeer } from '../src/index.js';

export type TransferState = 'sending' | 'receiving' | 'verifying' | 'done' | 'failed' | 'cancelled';

/** One file going to or coming from one peer, as the elements show it. */
export interface Transfer {
  /** Unique on this page. */
  readonly key: string;
  readonly direction: 'in' | 'out';
  readonly name: string;
  readonly size: number;
  /** The declared MIME type (shown as text; never used to open the file). */
  readonly type: string;
  /** The other side (absent for a file refused before it went anywhere). */
  readonly remote?: RemotePeer;
  /** The other side's display name. */
  readonly peerName: string;
  readonly started: Date;
  /** Bytes sent (handed to the channel) or received so far. */
  bytes: number;
  state: TransferState;
  /** Why it failed or who cancelled it, as text. */
  message?: string;
  /** Outgoing: the file. Incoming: the verified file, once `done`. */
  blob?: Blob;
  /** Incoming and done: an object URL of the file as `application/octet-stream` (a download, never a page). */
  url?: string;
  /** The file's checksum once known: hex SHA-256 of its slices' SHA-256 digests (see `file-transfer-protocol.ts`). */
  checksum?: string;
}

/** A transfer with someone on the other end. */
export type Live = Transfer & { readonly remote: RemotePeer };

export const isFinished = (state: TransferState): boolean => state === 'done' || state === 'failed' || state === 'cancelled';
