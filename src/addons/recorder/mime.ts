/**
 * Container/codec choices, best first. VP8 before VP9: it costs a fraction of
 * VP9's CPU to encode, which matters when a call is being recorded in the
 * same tab. Firefox records WebM (VP8/Opus) and Ogg Opus; Safari MP4.
 */
const VIDEO_TYPES = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm', 'video/mp4'];
const AUDIO_TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/mp4'];

/** The first type `MediaRecorder` supports for a stream with (or without) video; '' lets the browser choose. */
export function pickMimeType(hasVideo: boolean): string {
  if (typeof MediaRecorder === 'undefined' || typeof MediaRecorder.isTypeSupported !== 'function') return '';
  return (hasVideo ? VIDEO_TYPES : AUDIO_TYPES).find((type) => MediaRecorder.isTypeSupported(type)) ?? '';
}
