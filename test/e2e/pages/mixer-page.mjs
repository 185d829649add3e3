// One peer per page for the mixer suite: shares a solid colour and a tone over
// MQTT; the page that mixes also samples the mix's cells, its spectrum, and
// records it. The engine and add-ons come from /__media/peerix-media.js.
import * as peerix from '/__media/peerix-media.js';
import { connect } from '/__build/mqtt.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
window.state = { errors: [] };

function colourStream(colour) {
  const canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 240 });
  const ctx = canvas.getContext('2d');
  const draw = () => { ctx.fillStyle = colour; ctx.fillRect(0, 0, 320, 240); };
  draw();
  setInterval(draw, 50);
  return canvas.captureStream(20);
}

function toneStream(frequency) {
  const context = new AudioContext();
  const oscillator = context.createOscillator();
  oscillator.frequency.value = frequency;
  const out = context.createMediaStreamDestination();
  oscillator.connect(out);
  oscillator.start();
  void context.resume();
  return out.stream;
}

window.start = async ({ url, room, name, colour, tone, mix }) => {
  const driver = new peerix.MqttDriver({ client: connect(url, { protocolVersion: 4, reconnectPeriod: 500 }), prefix: 'mix/' });
  const peer = new peerix.Peer({ driver });
  window.peer = peer;
  peer.on('error', ({ error }) => state.errors.push(`${error.code}: ${error.message}`));
  if (mix) {
    window.mixer = new peerix.Mixer({ width: 640, height: 360 });
    peer.attach(mixer);
  }
  peer.share({ label: 'cam', stream: new MediaStream([...colourStream(colour).getTracks(), ...toneStream(tone).getTracks()]) });
  await peer.join({ room, metadata: { name } });
};

let mixVideo = null;
async function shownMix() {
  if (mixVideo) return mixVideo;
  mixVideo = Object.assign(document.createElement('video'), { muted: true, playsInline: true, srcObject: mixer.stream });
  document.body.append(mixVideo);
  await mixVideo.play();
  for (let i = 0; !mixVideo.videoWidth; i++) {
    if (i > 200) throw new Error('the mix shows no picture after 10 s');
    await sleep(50);
  }
  return mixVideo;
}

function sample(video, points) {
  const canvas = Object.assign(document.createElement('canvas'), { width: video.videoWidth, height: video.videoHeight });
  const ctx = canvas.getContext('2d');
  ctx.drawImage(video, 0, 0);
  return points.map(([x, y]) => [...ctx.getImageData(Math.round(x * canvas.width), Math.round(y * canvas.height), 1, 1).data.slice(0, 3)]);
}

/** Centres (as fractions) of the picture area of each cell of an n-tile grid, as the Mixer lays it out. */
function cellPoints(n) {
  const cols = Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / cols);
  const points = [];
  for (let i = 0; i < n; i++) {
    const row = Math.floor(i / cols);
    const inRow = row === rows - 1 ? n - row * cols : cols;
    const offset = (cols - inRow) / 2;
    points.push([(offset + (i % cols) + 0.5) / cols, (row + 0.4) / rows]);
  }
  return points;
}

const near = (rgb, target, tolerance = 40) => rgb.every((v, i) => Math.abs(v - target[i]) <= tolerance);
/** True when each wanted colour is in one of the n cells of the mix. */
window.cellsShow = async (n, wanted) => {
  const colours = sample(await shownMix(), cellPoints(n));
  return wanted.every((w) => colours.some((c) => near(c, w)));
};
/** Resolves with Date.now() once no cell of the mix shows `colour` (polled every 20 ms). */
window.whenGone = async (colour, cells) => {
  const video = await shownMix();
  for (const start = Date.now(); Date.now() - start < 15000; ) {
    const colours = sample(video, cellPoints(cells));
    if (!colours.some((c) => near(c, colour))) return Date.now();
    await sleep(20);
  }
  throw new Error('the colour was still in the mix after 15 s');
};

window.spectrum = async (frequencies) => {
  const context = new AudioContext();
  await context.resume();
  const analyser = context.createAnalyser();
  analyser.fftSize = 8192;
  context.createMediaStreamSource(new MediaStream(mixer.stream.getAudioTracks())).connect(analyser);
  await sleep(1500);
  const bins = new Float32Array(analyser.frequencyBinCount);
  analyser.getFloatFrequencyData(bins);
  const hz = context.sampleRate / analyser.fftSize;
  const at = frequencies.map((f) => Math.max(...bins.slice(Math.round(f / hz) - 2, Math.round(f / hz) + 3)));
  const floor = [...bins].sort((x, y) => x - y)[bins.length >> 1];
  await context.close();
  return { at, floor };
};

/** Records the mix for `ms`, then plays the recording through: duration, frames, size, colours seen. */
window.recordMix = async (ms) => {
  const recorder = new peerix.Recorder(mixer.stream);
  recorder.start();
  await sleep(ms);
  const blob = await recorder.stop();
  const video = Object.assign(document.createElement('video'), { muted: true, playsInline: true, src: URL.createObjectURL(blob) });
  document.body.append(video);
  await new Promise((r) => video.addEventListener('loadedmetadata', r, { once: true }));
  if (!Number.isFinite(video.duration)) {
    // MediaRecorder's WebM has no duration until the end is seeked.
    video.currentTime = 1e7;
    while (!Number.isFinite(video.duration)) await new Promise((r) => video.addEventListener('durationchange', r, { once: true }));
    video.currentTime = 0;
    await new Promise((r) => video.addEventListener('seeked', r, { once: true }));
  }
  let frames = 0;
  const seen = [];
  const tick = () => {
    frames++;
    if (frames % 5 === 0) seen.push(sample(video, cellPoints(2)));
    video.requestVideoFrameCallback(tick);
  };
  video.requestVideoFrameCallback(tick);
  const ended = new Promise((r) => video.addEventListener('ended', r, { once: true }));
  await video.play();
  await ended;
  return { type: blob.type, size: blob.size, duration: video.duration, frames, width: video.videoWidth, height: video.videoHeight, seen };
};

window.ready = true;
