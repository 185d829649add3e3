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
