import { PeerixError } from './errors.js';
import type { MediaWant, SenderParameters } from './types.js';

/** Default of `PeerOptions.uplinkBudget`: bits per second for all video senders together. */
export const DEFAULT_UPLINK_BUDGET = 3_000_000;
/** `budget` as an `uplinkBudget` (bits per second ≥ 0, 0 = no limit); anything else is ERR_INVALID_ARGUMENT. */
export function checkUplinkBudget(budget: unknown): number {
  if (typeof budget !== 'number' || !(budget >= 0) || !Number.isFinite(budget)) {
    throw new PeerixError('ERR_INVALID_ARGUMENT', 'uplinkBudget must be a number of bits per second ≥ 0 (0 = no limit)');
  }
  return budget;
}

/** A screen share counts as this many cameras when the budget is divided. */
export const SCREEN_WEIGHT = 3;

/**
 * The parameters one video sender gets from the uplink budget, with `cameras`
 * camera senders and `screens` screen-share senders over all connections
 * (this one included). `budget` 0 (or less) means no limit: nothing is capped.
 * A share too small for full resolution is scaled down (and, for cameras at the
 * lowest step, slowed to 15 fps) rather than left to the encoder to starve.
 */
export function budgetParameters(budget: number, cameras: number, screens: number, screen: boolean): SenderParameters {
  const units = cameras + SCREEN_WEIGHT * screens;
  if (!(budget > 0) || units <= 0) return {};
  const maxBitrate = Math.floor((budget * (screen ? SCREEN_WEIGHT : 1)) / units);
  if (screen) {
    // Text must stay readable: frame rate goes first, resolution only at the lowest step.
    if (maxBitrate < 150_000) return { maxBitrate, scaleResolutionDownBy: 2, maxFramerate: 5 };
    if (maxBitrate < 300_000) return { maxBitrate, maxFramerate: 10 };
    return { maxBitrate };
  }
  if (maxBitrate < 150_000) return { maxBitrate, scaleResolutionDownBy: 4, maxFramerate: 15 };
  if (maxBitrate < 300_000) return { maxBitrate, scaleResolutionDownBy: 2 };
  return { maxBitrate };
}

/** The parameters a receiver's request asks of one video sender whose frames are `height` pixels high. */
export function wantParameters(want: MediaWant | undefined, height: number | undefined): SenderParameters {
  if (!want) return {};
  if ('video' in want && want.video === false) return { active: false };
  if ('maxHeight' in want && typeof want.maxHeight === 'number' && height && height > want.maxHeight) {
    return { scaleResolutionDownBy: Math.ceil((height / want.maxHeight) * 100) / 100 };
  }
  return {};
}

/** Several sets of parameters as one: the stricter wins (lowest bitrate and frame rate, largest scale, inactive over active). */
export function combineParameters(...sets: Array<SenderParameters | undefined>): SenderParameters {
  const out: SenderParameters = {};
  for (const p of sets) {
    if (!p) continue;
    if (p.maxBitrate !== undefined) out.maxBitrate = Math.min(out.maxBitrate ?? Infinity, p.maxBitrate);
    if (p.maxFramerate !== undefined) out.maxFramerate = Math.min(out.maxFramerate ?? Infinity, p.maxFramerate);
    if (p.scaleResolutionDownBy !== undefined) out.scaleResolutionDownBy = Math.max(out.scaleResolutionDownBy ?? 1, p.scaleResolutionDownBy);
    if (p.active !== undefined) out.active = (out.active ?? true) && p.active;
    if (p.priority !== undefined) out.priority = p.priority;
    if (p.networkPriority !== undefined) out.networkPriority = p.networkPriority;
  }
  return out;
}

/** Writes `wanted` onto every encoding; a limit no longer wanted is lifted (video: scale 1, active). */
export function writeEncodings(parameters: RTCRtpSendParameters, wanted: SenderParameters, video: boolean): RTCRtpSendParameters {
  if (!parameters.encodings?.length) parameters.encodings = [{}];
  for (const encoding of parameters.encodings) {
    if (!video) {
      Object.assign(encoding, wanted);
      continue;
    }
    if (wanted.maxBitrate !== undefined) encoding.maxBitrate = wanted.maxBitrate;
    else delete encoding.maxBitrate;
    if (wanted.maxFramerate !== undefined) encoding.maxFramerate = wanted.maxFramerate;
    else delete encoding.maxFramerate;
    encoding.scaleResolutionDownBy = wanted.scaleResolutionDownBy ?? 1;
    encoding.active = wanted.active ?? true;
    if (wanted.priority !== undefined) encoding.priority = wanted.priority;
    if (wanted.networkPriority !== undefined) encoding.networkPriority = wanted.networkPriority;
  }
  return parameters;
}
