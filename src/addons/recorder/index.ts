export { Recorder, type RecorderEvents, type RecorderOptions, type RecorderState } from './recorder.js';
export { pickMimeType } from './mime.js';
export type { LogLine } from './channel-log.js';
