import { Addon } from '../addon.js';
import { observeCalls } from '../observe.js';
import { PeerixError, toPeerixError } from '../../errors.js';
import type { Peer } from '../../peer.js';
import type { SendData, SendOptions } from '../../types.js';
import { LineBuffer } from './channel-log.js';
import { pickMimeType } from './mime.js';

export type RecorderState = 'inactive' | 'recording' | 'paused';

export interface RecorderOptions {
  /** Container and codecs, e.g. `video/webm;codecs=vp8,opus`; default: the first the browser supports. */
  mimeType?: string;
  /** Milliseconds per `data` event; without it, one `data` event at `stop()`. */
  timeslice?: number;
  videoBitsPerSecond?: number;
  audioBitsPerSecond?: number;
  /** Keep every chunk for the Blob `stop()` resolves to (default true). `false` with `timeslice` streams only. */
  store?: boolean;
  /** Data-channel log mode (stream `null`): the channel labels to record as NDJSON. */
  labels?: string[];
  /** Log mode: bytes the log may hold in memory before recording stops with an error (default 16 MiB). */
  maxBytes?: number;
}

export interface RecorderEvents {
  start: Record<string, never>;
  pause: Record<string, never>;
  resume: Record<string, never>;
  /** A chunk: every `timeslice` ms, and the last one at stop. */
  data: { blob: Blob };
  /** Recording ended (by `stop()`, the stream ending, or an error): the whole recording. */
  stop: { blob: Blob };
  error: { error: PeerixError };
}

/** How often the source is checked for having ended (a remote unshare removes tracks without `ended`). */
const SOURCE_CHECK_MS = 500;
const DEFAULT_MAX_LOG_BYTES = 16 * 1024 * 1024;

/**
 * Records a MediaStream with MediaRecorder, or, as an add-on with a `null`
 * stream and `labels`, the messages of those data channels as NDJSON lines
 * `{ t, from, label, data }`.
 */
export class Recorder extends Addon<RecorderEvents, Peer> {
  readonly stream: MediaStream | null;
  #options: RecorderOptions;
  #state: RecorderState = 'inactive';
  #mimeType = '';
  #chunks: Blob[] = [];
  #result: Blob | null = null;
  #stopped: Promise<Blob> | null = null;
  #finish: ((blob: Blob) => void) | null = null;
  // media mode
  #media: MediaRecorder | null = null;
  #tracks: MediaStreamTrack[] = [];
  #check: ReturnType<typeof setInterval> | undefined;
  #sink: HTMLMediaElement | null = null;
  /** We asked MediaRecorder to stop: its last data and stop event are on their way. */
  #stopping = false;
  // log mode
  #labels: Set<string>;
  #log = new LineBuffer();
  #startedAt = 0;
  #flushTimer: ReturnType<typeof setInterval> | undefined;
  #undo = new Map<Peer, () => void>();

  constructor(stream: MediaStream | null, options: RecorderOptions = {}) {
    super();
    if (stream !== null && !(typeof MediaStream !== 'undefined' && stream instanceof MediaStream)) {
      throw new PeerixError('ERR_INVALID_ARGUMENT', 'Recorder needs a MediaStream, or null with { labels } to log data channels');
    }
    const labels = options.labels ?? [];
    if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string' || !l)) {
      throw new PeerixError('ERR_INVALID_ARGUMENT', 'labels must be an array of channel labels');
    }
    if (stream === null && labels.length === 0) throw new PeerixError('ERR_INVALID_ARGUMENT', 'a log Recorder (stream null) needs { labels }');
    if (stream !== null && labels.length > 0) throw new PeerixError('ERR_INVALID_ARGUMENT', 'record media and channel logs with two Recorders');
    this.stream = stream;
    this.#options = { ...options };
    this.#labels = new Set(labels);
  }

  /** `inactive`, `recording` or `paused`. */
  get state(): RecorderState {
    return this.#state;
  }

  /** The type being recorded (known after `start()`). */
  get mimeType(): string {
    return this.#mimeType;
  }

  start(): void {
    if (this.#state !== 'inactive') throw new PeerixError('ERR_INVALID_STATE', `start() while ${this.#state}`);
    this.#chunks = [];
    this.#result = null;
    if (this.stream) this.#startMedia(this.stream); // throws before anything is pending
    else this.#startLog();
    this.#stopped = new Promise((resolve) => (this.#finish = resolve));
    this.#state = 'recording';
    this.emit('start', {});
  }

  pause(): void {
    if (this.#state !== 'recording') return;
    this.#media?.pause();
    this.#state = 'paused';
    this.emit('pause', {});
  }

  resume(): void {
    if (this.#state !== 'paused') return;
    this.#media?.resume();
    this.#state = 'recording';
    this.emit('resume', {});
  }

  /** Stops and resolves to the whole recording (empty if never started). */
  stop(): Promise<Blob> {
    // #finish is set from start() until the recording has ended (a log may still be flushing).
    if (!this.#finish) return Promise.resolve(this.#result ?? new Blob([], { type: this.#mimeType }));
    const done = this.#stopped!;
    if (this.#media) this.#stopMedia();
    else if (this.#state !== 'inactive') void this.#stopLog();
    return done;
  }

  override attach(peer: Peer): void {
    super.attach(peer);
    if (this.stream) return;
    this.listen(peer, 'channel:message', ({ remote, label, data }) => this.#logMessage(remote.id, label, data));
    this.#undo.set(peer, observeCalls(peer, 'send', (data: SendData, options?: SendOptions) => this.#logSent(peer, data, options)));
    if (this.#state === 'inactive' && !this.#result) this.start();
  }

  override detach(peer: Peer): void {
    this.#undo.get(peer)?.();
    this.#undo.delete(peer);
    super.detach(peer);
  }

  // ───────────────────────── media ─────────────────────────

  #startMedia(stream: MediaStream): void {
    if (typeof MediaRecorder === 'undefined') throw new PeerixError('ERR_MEDIA', 'this browser has no MediaRecorder');
    const tracks = stream.getTracks().filter((t) => t.readyState === 'live');
    if (!tracks.length) throw new PeerixError('ERR_INVALID_STATE', 'the stream has no live track to record');
    const { mimeType, videoBitsPerSecond, audioBitsPerSecond, timeslice } = this.#options;
    if (mimeType && !MediaRecorder.isTypeSupported(mimeType)) throw new PeerixError('ERR_INVALID_ARGUMENT', `this browser cannot record ${mimeType}`);
    const type = mimeType ?? pickMimeType(tracks.some((t) => t.kind === 'video'), tracks.some((t) => t.kind === 'audio'));
    const init: MediaRecorderOptions = {};
    if (type) init.mimeType = type;
    if (videoBitsPerSecond) init.videoBitsPerSecond = videoBitsPerSecond;
    if (audioBitsPerSecond) init.audioBitsPerSecond = audioBitsPerSecond;
    // Our own stream of the same tracks: the app may add or remove tracks on its
    // stream (which would end the recording) while these stay as they are.
    const input = new MediaStream(tracks);
    const media = new MediaRecorder(input, init);
    if (tracks.some((t) => t.kind === 'audio') && typeof document !== 'undefined') {
      // Chrome delivers a remote audio track's samples only while a media element
      // plays it; without them its WebM muxer waits and the recording stays empty.
      const sink = document.createElement('audio');
      sink.muted = true;
      sink.srcObject = input;
      sink.play().catch(() => {});
      this.#sink = sink;
    }
    this.#media = media;
    this.#tracks = tracks;
    this.#mimeType = media.mimeType || type;
    media.ondataavailable = (event) => {
      if (!event.data.size) return;
      if (this.#options.store !== false) this.#chunks.push(event.data);
      this.emit('data', { blob: event.data });
    };
    media.onerror = (event) => {
      const cause = (event as Event & { error?: unknown }).error;
      this.emit('error', { error: new PeerixError('ERR_MEDIA', `recording failed${cause instanceof Error ? `: ${cause.message}` : ''}`, { cause }) });
    };
    media.onstop = () => this.#end();
    try {
      media.start(timeslice);
    } catch (error) {
      this.#media = null;
      this.#tracks = [];
      if (this.#sink) this.#sink.srcObject = null;
      this.#sink = null;
      throw toPeerixError(error, 'ERR_MEDIA', 'MediaRecorder would not start');
    }
    for (const track of tracks) track.addEventListener('ended', this.#checkSource);
    this.#check = setInterval(this.#checkSource, SOURCE_CHECK_MS);
  }

  /** Ends the recording once none of the recorded tracks is live and still in the source stream. */
  #checkSource = (): void => {
    const media = this.#media;
    if (!media) return;
    if (this.#stopping) return;
    if (media.state === 'inactive') {
      // Stopped by the browser without a stop event (seen in Firefox with codecs the tracks lack).
      this.emit('error', { error: new PeerixError('ERR_MEDIA', `the browser stopped recording ${this.#mimeType} by itself`) });
      return this.#end();
    }
    const current = new Set(this.stream?.getTracks() ?? []);
    if (this.#tracks.some((t) => t.readyState === 'live' && current.has(t))) return;
    this.#stopMedia();
  };

  #stopMedia(): void {
    if (this.#stopping || !this.#media || this.#media.state === 'inactive') return;
    this.#stopping = true;
    this.#media.stop();
  }

  // ───────────────────────── channel log ─────────────────────────

  #startLog(): void {
    this.#startedAt = performance.now();
    this.#mimeType = 'application/x-ndjson';
    const { timeslice } = this.#options;
    if (timeslice && timeslice > 0) this.#flushTimer = setInterval(() => void this.#flushLog(), timeslice);
  }

  #logMessage(from: string, label: string, data: SendData): void {
    if (this.#state !== 'recording' || this.#media || !this.#labels.has(label)) return;
    const max = this.#options.maxBytes ?? DEFAULT_MAX_LOG_BYTES;
    if (this.#log.bytes + LineBuffer.size(data) > max) {
      this.emit('error', { error: new PeerixError('ERR_TOO_LARGE', `the channel log reached its ${max}-byte limit: recording stopped` ) });
      void this.#stopLog();
      return;
    }
    this.#log.add(Math.round(performance.now() - this.#startedAt), from, label, data);
  }

  /** A message this peer sent: logged once per recorded label it went out on. */
  #logSent(peer: Peer, data: SendData, options?: SendOptions): void {
    const labels = options?.label !== undefined ? [options.label] : [...this.#labels].filter((l) => [...peer.connections.values()].some((r) => r.channels.has(l)));
    for (const label of labels) this.#logMessage(peer.id, label, data);
  }

  async #flushLog(): Promise<void> {
    const blob = await this.#log.take();
    if (!blob.size) return;
    if (this.#options.store !== false) this.#chunks.push(blob);
    this.emit('data', { blob });
  }

  async #stopLog(): Promise<void> {
    if (this.#state === 'inactive') return;
    clearInterval(this.#flushTimer);
    this.#state = 'inactive';
    await this.#flushLog();
    this.#log.bytes = 0;
    this.#end();
  }

  // ───────────────────────── end ─────────────────────────

  #end(): void {
    if (!this.#finish) return; // already ended
    clearInterval(this.#check);
    for (const track of this.#tracks) track.removeEventListener('ended', this.#checkSource);
    this.#tracks = [];
    this.#media = null;
    this.#stopping = false;
    if (this.#sink) this.#sink.srcObject = null;
    this.#sink = null;
    this.#state = 'inactive';
    const blob = new Blob(this.#chunks, { type: this.#mimeType });
    this.#chunks = [];
    this.#result = blob;
    this.#finish?.(blob);
    this.#finish = null;
    this.emit('stop', { blob });
  }
}
