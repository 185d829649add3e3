/**
 * Container/codec choices, best first. VP8 before VP9: it costs a fraction of
 * VP9's CPU to encode, which matters when a call is being recorded in the
 * same tab. The codecs named must match the tracks: Firefox given
 * `codecs=vp8,opus` for a stream without audio goes inactive at once, with
 * neither an error nor a stop event.
 */
const TYPES = {
  both: ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm', 'video/mp4'],
  video: ['video/webm;codecs=vp8', 'video/webm;codecs=vp9', 'video/webm', 'video/mp4'],
  audio: ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/mp4'],
};

/** The first type `MediaRecorder` supports for these kinds of track; '' lets the browser choose. */
export function pickMimeType(hasVideo: boolean, hasAudio = true): string {
  if (typeof MediaRecorder === 'undefined' || typeof MediaRecorder.isTypeSupported !== 'function') return '';
  const list = hasVideo ? (hasAudio ? TYPES.both : TYPES.video) : TYPES.audio;
  return list.find((type) => MediaRecorder.isTypeSupported(type)) ?? '';
}
