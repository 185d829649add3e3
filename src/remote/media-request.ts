import { PeerixError } from '../errors.js';
import type { MessageOf } from '../signaling/messages.js';
import type { MediaWant } from '../types.js';

/** Largest `maxHeight` a request may carry (the wire schema's bound). */
export const MAX_REQUEST_HEIGHT = 16384;

/** The in-band message for `RemotePeer.request(label, want)`; a bad argument throws `ERR_INVALID_ARGUMENT`. */
export function toMediaRequest(label: string, want: MediaWant): MessageOf<'MediaRequest'> {
  const ok = typeof label === 'string' && !!want && typeof want === 'object';
  const off = ok && 'video' in want && want.video === false;
  const maxHeight = ok && 'maxHeight' in want ? want.maxHeight : undefined;
  if (!ok || (maxHeight !== undefined && !(Number.isInteger(maxHeight) && maxHeight >= 1 && maxHeight <= MAX_REQUEST_HEIGHT))) {
    throw new PeerixError('ERR_INVALID_ARGUMENT', `request() takes a label and { video: false }, { maxHeight: 1–${MAX_REQUEST_HEIGHT} } or {}`);
  }
  return { kind: 'MediaRequest', label, ...(off ? { off } : maxHeight !== undefined ? { maxHeight } : {}) };
}

/** What a received request asks (its values were checked by the codec against the schema). */
export function wantOf(message: MessageOf<'MediaRequest'>): MediaWant {
  return message.off ? { video: false } : message.maxHeight ? { maxHeight: message.maxHeight } : {};
}

/** Labels kept for a connection whose channel 0 has not opened yet. */
const MAX_HELD_REQUESTS = 16;

/** Requests asked before channel 0 opened (a tile hidden from the start): the latest per label, sent once it opens. */
export class HeldRequests {
  readonly #held = new Map<string, MessageOf<'MediaRequest'>>();

  /** Keeps `message` (replacing an earlier one for its label); ERR_LIMIT past MAX_HELD_REQUESTS labels. */
  hold(message: MessageOf<'MediaRequest'>, peerId: string): void {
    if (!this.#held.has(message.label) && this.#held.size >= MAX_HELD_REQUESTS) {
      throw new PeerixError('ERR_LIMIT', `more than ${MAX_HELD_REQUESTS} labels requested from ${peerId} before it connected`, { peerId });
    }
    this.#held.set(message.label, message);
  }

  /** Hands every held request to `send`, in the order first asked, and forgets them. */
  flush(send: (message: MessageOf<'MediaRequest'>) => void): void {
    for (const message of this.#held.values()) send(message);
    this.#held.clear();
  }
}
