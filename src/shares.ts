import { PeerixError } from './errors.js';
import { isMediaStream } from './rtc.js';
import type { SenderParameters, ShareOptions } from './types.js';

/** A share as the `Peer` keeps it, applied to every remote. */
export interface ShareEntry extends Required<Pick<ShareOptions, 'stream' | 'label'>> {
  managed: boolean;
  audioParameters?: SenderParameters;
  videoParameters?: SenderParameters;
}

/** What `unshare()` accepts: the stream, its label, or `{ label }`. */
export type ShareTarget = MediaStream | string | { label: string };

/** Normalises `share()`'s argument. */
export function toShareEntry(options: MediaStream | ShareOptions): ShareEntry {
  if (isMediaStream(options)) {
    return { stream: options, label: options.id, managed: false };
  }
  const o = options as ShareOptions;
  if (!o || !isMediaStream(o.stream)) {
    throw new PeerixError('ERR_INVALID_ARGUMENT', 'share() takes a MediaStream or { stream, label?, managed?, audioParameters?, videoParameters? }');
  }
  return {
    stream: o.stream,
    label: o.label ?? o.stream.id,
    managed: o.managed ?? false,
    ...(o.audioParameters ? { audioParameters: o.audioParameters } : {}),
    ...(o.videoParameters ? { videoParameters: o.videoParameters } : {}),
  };
}

/** The share `target` names, in a map by label whose values know their entry. */
export function findShare<T>(shares: ReadonlyMap<string, T>, target: ShareTarget, entryOf: (item: T) => ShareEntry): T | undefined {
  if (typeof target === 'string') return shares.get(target);
  if (isMediaStream(target)) {
    for (const item of shares.values()) if (entryOf(item).stream === target) return item;
    return undefined;
  }
  return target && typeof target === 'object' ? shares.get(target.label) : undefined;
}

/** The tracks of `stream` still producing media (an ended track is never sent). */
export function liveTracks(stream: MediaStream): MediaStreamTrack[] {
  return stream.getTracks().filter((t) => t.readyState === 'live');
}
