// Helpers for the recorder and mixer suites: coloured canvas sources, tones,
// and playing a recorded Blob back.

/** A canvas stream of one solid colour, redrawn every 50 ms (captureStream only sends drawn frames). */
export function colourStream(colour: string, width = 320, height = 240): { stream: MediaStream; setColour(c: string): void; stop(): void } {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  let fill = colour;
  const draw = (): void => {
    ctx.fillStyle = fill;
    ctx.fillRect(0, 0, width, height);
  };
  draw();
  const timer = setInterval(draw, 50);
  const stream = canvas.captureStream(20);
  return {
    stream,
    setColour: (c) => (fill = c),
    stop: () => {
      clearInterval(timer);
      stream.getTracks().forEach((t) => t.stop());
    },
  };
}

/** An oscillator's tone as a MediaStream audio track. */
export function toneStream(frequency: number): { stream: MediaStream; stop(): void } {
  const context = new AudioContext();
  const oscillator = context.createOscillator();
  oscillator.frequency.value = frequency;
  const out = context.createMediaStreamDestination();
  oscillator.connect(out);
  oscillator.start();
  void context.resume();
  return { stream: out.stream, stop: () => void context.close() };
}

/** RGB of the pixel at (x, y) of what a <video> shows now. */
export function pixel(video: HTMLVideoElement, x: number, y: number): [number, number, number] {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(video, 0, 0);
  const [r, g, b] = ctx.getImageData(x, y, 1, 1).data;
  return [r!, g!, b!];
}

/** True when `rgb` is within `tolerance` of `target` on every channel (codecs shift colours a little). */
export function near(rgb: [number, number, number], target: [number, number, number], tolerance = 40): boolean {
  return rgb.every((v, i) => Math.abs(v - target[i]!) <= tolerance);
}

export interface Playback {
  video: HTMLVideoElement;
  duration: number;
  /** Frames presented while playing through once. */
  frames: number;
  /** Colour at the centre of frames, sampled as it played. */
  colours: Array<[number, number, number]>;
  dispose(): void;
}

function once(target: EventTarget, name: string, timeout = 10000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} event within ${timeout} ms`)), timeout);
    target.addEventListener(name, () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/**
 * Loads a recording into a <video>, learns its duration (WebM from
 * MediaRecorder carries none, so the video reports Infinity until it is
 * seeked to the end), then plays it through, counting frames and sampling colours.
 */
export async function playRecording(blob: Blob): Promise<Playback> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  const url = URL.createObjectURL(blob);
  video.src = url;
  document.body.append(video);
  await once(video, 'loadedmetadata');
  if (!Number.isFinite(video.duration)) {
    video.currentTime = 1e7;
    while (!Number.isFinite(video.duration)) await once(video, 'durationchange');
    video.currentTime = 0;
    await once(video, 'seeked');
  }
  const duration = video.duration;
  let frames = 0;
  const colours: Array<[number, number, number]> = [];
  const count = (): void => {
    frames++;
    if (video.videoWidth) colours.push(pixel(video, video.videoWidth >> 1, video.videoHeight >> 1));
    video.requestVideoFrameCallback(count);
  };
  if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(count);
  const ended = once(video, 'ended', (duration + 10) * 1000);
  await video.play();
  await ended;
  return { video, duration, frames, colours, dispose: () => (video.remove(), URL.revokeObjectURL(url)) };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Plays `stream` in a muted <video> and resolves once it shows frames. */
export async function showStream(stream: MediaStream): Promise<HTMLVideoElement> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  document.body.append(video);
  await video.play();
  const start = Date.now();
  while (!video.videoWidth && Date.now() - start < 10000) await sleep(50);
  return video;
}

/** Levels (dB) of an audio track at the given frequencies, with the median bin as noise floor. */
export async function spectrum(track: MediaStreamTrack, frequencies: number[], listenMs = 1000): Promise<{ at: number[]; floor: number }> {
  const context = new AudioContext();
  await context.resume();
  const analyser = context.createAnalyser();
  analyser.fftSize = 8192;
  analyser.smoothingTimeConstant = 0.5;
  context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
  await sleep(listenMs);
  const bins = new Float32Array(analyser.frequencyBinCount);
  analyser.getFloatFrequencyData(bins);
  const hz = context.sampleRate / analyser.fftSize;
  // The strongest bin within ±2 of each frequency (the tone may fall between bins).
  const at = frequencies.map((f) => {
    const i = Math.round(f / hz);
    return Math.max(...bins.slice(Math.max(0, i - 2), i + 3));
  });
  const floor = [...bins].sort((x, y) => x - y)[bins.length >> 1]!;
  await context.close();
  return { at, floor };
}
