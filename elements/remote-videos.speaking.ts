/** How long someone still counts as speaking after the level dropped (ms). */
const SPEAKING_HOLD = 400;

interface Meter {
  source: MediaStreamAudioSourceNode;
  analyser: AnalyserNode;
  track: MediaStreamTrack;
  lastLoud: number;
}

/** What the meters ask of `<peerix-remote-videos>` and tell it. */
export interface SpeakingHost {
  /** Audio level (RMS, 0–1) above which someone is speaking. */
  threshold(): number;
  /** The sender of tile `key` is muted: its level does not count as speech. */
  muted(key: string): boolean;
  /** Tile `key` got loud after a pause. */
  spoke(key: string): void;
  /** Who is speaking now, and the loudest of them ('' when nobody is above the threshold). */
  heard(speaking: Set<string>, loudest: string): void;
}

/**
 * Speaking detection for `<peerix-remote-videos>`: an analyser per tile's live audio
 * track, read every 100 ms. Loaded with the first tile (see remote-videos.lazy.ts).
 */
export class SpeakingMeters {
  #host: SpeakingHost;
  #audio: AudioContext | null = null;
  #meters = new Map<string, Meter>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #buffer: Float32Array<ArrayBuffer> | null = null;

  constructor(host: SpeakingHost) {
    this.#host = host;
  }

  /** Follows the tiles on show: a meter per live audio track. */
  update(tiles: ReadonlyArray<{ key: string; stream: MediaStream }>): void {
    const wanted = new Map<string, MediaStreamTrack>();
    for (const tile of tiles) {
      const track = tile.stream.getAudioTracks().find((t) => t.readyState === 'live');
      if (track) wanted.set(tile.key, track);
    }
    for (const [key, meter] of this.#meters) {
      if (wanted.get(key) === meter.track) continue;
      meter.source.disconnect();
      this.#meters.delete(key);
    }
    if (wanted.size === 0) return this.#host.heard(new Set(), '');
    const AudioContextCtor = globalThis.AudioContext;
    if (!AudioContextCtor) return;
    this.#audio ??= new AudioContextCtor();
    const audio = this.#audio;
    for (const [key, track] of wanted) {
      if (this.#meters.has(key)) continue;
      try {
        const source = audio.createMediaStreamSource(new MediaStream([track]));
        const analyser = audio.createAnalyser();
        // ~43 ms at 48 kHz: sampled every 100 ms, a short sound is still caught about half the time.
        analyser.fftSize = 2048;
        source.connect(analyser);
        this.#meters.set(key, { source, analyser, track, lastLoud: 0 });
      } catch {
        // no level for this one
      }
    }
    this.#timer ??= setInterval(() => this.#measure(), 100);
  }

  /** Drops every meter and the audio context. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    for (const meter of this.#meters.values()) meter.source.disconnect();
    this.#meters.clear();
    void this.#audio?.close().catch(() => {});
    this.#audio = null;
  }

  #measure(): void {
    const audio = this.#audio;
    if (!audio) return;
    if (audio.state === 'suspended') void audio.resume().catch(() => {});
    const host = this.#host;
    const threshold = host.threshold();
    const now = performance.now();
    const speaking = new Set<string>();
    let loudest = threshold;
    let speaker = '';
    for (const [key, meter] of this.#meters) {
      const size = meter.analyser.fftSize;
      if (!this.#buffer || this.#buffer.length !== size) this.#buffer = new Float32Array(size);
      meter.analyser.getFloatTimeDomainData(this.#buffer);
      let sum = 0;
      for (const v of this.#buffer) sum += v * v;
      const rms = Math.sqrt(sum / size);
      if (rms > threshold) {
        if (now - meter.lastLoud >= SPEAKING_HOLD) host.spoke(key);
        meter.lastLoud = now;
      }
      const muted = host.muted(key);
      if (!muted && now - meter.lastLoud < SPEAKING_HOLD) speaking.add(key);
      if (!muted && rms > loudest) [loudest, speaker] = [rms, key];
    }
    host.heard(speaking, speaker);
  }
}
