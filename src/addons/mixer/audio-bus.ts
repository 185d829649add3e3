interface Input {
  key: string;
  source: MediaStreamAudioSourceNode;
  gain: GainNode;
  analyser: AnalyserNode;
}

/**
 * Sums audio tracks through Web Audio into one track (`stream`), with a gain
 * per input and a loudness reading per key (for the speaker layout).
 */
export class AudioBus {
  readonly context: AudioContext;
  readonly #out: MediaStreamAudioDestinationNode;
  readonly #floor: ConstantSourceNode;
  #inputs = new Map<MediaStreamTrack, Input>();
  #samples = new Float32Array(512);

  constructor() {
    this.context = new AudioContext();
    this.#out = this.context.createMediaStreamDestination();
    // Chromium's destination emits no samples at all while nothing is connected to
    // it, and a MediaRecorder given that track waits for audio forever (a 0-byte
    // recording of a mix with no voice yet). A constant 0 keeps silence flowing.
    this.#floor = this.context.createConstantSource();
    this.#floor.offset.value = 0;
    this.#floor.connect(this.#out);
    this.#floor.start();
    if (this.context.state === 'suspended') void this.context.resume().catch(() => {});
  }

  /** One audio track that carries the sum (silence while there is nothing to mix). */
  get track(): MediaStreamTrack {
    return this.#out.stream.getAudioTracks()[0]!;
  }

  has(track: MediaStreamTrack): boolean {
    return this.#inputs.has(track);
  }

  add(key: string, track: MediaStreamTrack, gain: number): void {
    if (this.#inputs.has(track)) return;
    const source = this.context.createMediaStreamSource(new MediaStream([track]));
    const gainNode = this.context.createGain();
    gainNode.gain.value = gain;
    const analyser = this.context.createAnalyser();
    analyser.fftSize = this.#samples.length;
    source.connect(gainNode);
    gainNode.connect(this.#out);
    source.connect(analyser);
    this.#inputs.set(track, { key, source, gain: gainNode, analyser });
    // Created outside a user gesture the context may start suspended.
    if (this.context.state === 'suspended') void this.context.resume().catch(() => {});
  }

  remove(track: MediaStreamTrack): void {
    const input = this.#inputs.get(track);
    if (!input) return;
    input.source.disconnect();
    input.gain.disconnect();
    this.#inputs.delete(track);
  }

  /** Tracks mixed under `key`. */
  tracksOf(key: string): MediaStreamTrack[] {
    return [...this.#inputs].filter(([, input]) => input.key === key).map(([track]) => track);
  }

  setGain(key: string, gain: number): void {
    for (const input of this.#inputs.values()) if (input.key === key) input.gain.gain.value = gain;
  }

  /** Root-mean-square level (0…1) of the loudest track under `key`, before its gain. */
  level(key: string): number {
    let loudest = 0;
    for (const input of this.#inputs.values()) {
      if (input.key !== key) continue;
      input.analyser.getFloatTimeDomainData(this.#samples);
      let sum = 0;
      for (const v of this.#samples) sum += v * v;
      loudest = Math.max(loudest, Math.sqrt(sum / this.#samples.length));
    }
    return loudest;
  }

  close(): void {
    for (const track of [...this.#inputs.keys()]) this.remove(track);
    this.#floor.stop();
    this.#floor.disconnect();
    this.track.stop();
    void this.context.close().catch(() => {});
  }
}
