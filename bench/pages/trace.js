// Library-neutral trace of one join, for `npm run bench` (section `trace`): the
// browser's own WebRTC and WebSocket steps, timestamped on the machine-wide
// clock, whatever library drives them. Nothing is changed, only observed.

const now = () => performance.timeOrigin + performance.now();

/** Every step seen: `{ t, pc, step }`; `pc` numbers the connections of this page (0 = a WebSocket). */
export const steps = [];
/** Peerix's debug lines as written (ids kept), for the dump of a slow run (BENCH_SLOW_DUMP). */
export const debugLines = [];
/** Every RTCPeerConnection made on this page, in order. */
export const connections = [];

const first = new Set();
/** Records `step` of connection `pc` once (its first occurrence is the one that costs time). */
function mark(pc, step) {
  const key = `${pc} ${step}`;
  if (first.has(key)) return;
  first.add(key);
  steps.push({ t: now(), pc, step });
}

// Sockets are numbered: a library that retries shows a "socket 2" row.
let sockets = 0;
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  #name;
  constructor(...args) {
    super(...args);
    const name = ++sockets === 1 ? 'socket' : `socket ${sockets}`;
    mark(0, `${name} created`);
    this.addEventListener('open', () => mark(0, `${name} open`));
    this.addEventListener('message', ({ data }) => {
      mark(0, `${name}: first message from the server`);
      frame(`${name} receive`, data);
    });
    this.addEventListener('close', () => mark(0, `${name} closed`));
    this.#name = name;
  }

  send(data) {
    frame(`${this.#name} send`, data);
    super.send(data);
  }
};

/** Each WebSocket frame's time and size in the debug lines (read only when the bench turns debug on). */
function frame(what, data) {
  const size = typeof data === 'string' ? data.length : data.byteLength ?? data.size ?? 0;
  if (debugLines.length < 5000) debugLines.push(`${now().toFixed(1)} ws ${what} ${size} bytes`);
}

const NativePC = window.RTCPeerConnection;
window.RTCPeerConnection = class extends NativePC {
  constructor(...args) {
    super(...args);
    connections.push(this);
    const pc = connections.length;
    mark(pc, 'connection created');
    this.addEventListener('icecandidate', ({ candidate }) => {
      mark(pc, candidate ? 'first local candidate' : 'gathering complete');
      if (candidate?.candidate && debugLines.length < 5000) debugLines.push(`${now().toFixed(1)} pc${pc} local candidate ${candidate.candidate.split(' ').slice(2, 8).join(' ')}`);
    });
    this.addEventListener('iceconnectionstatechange', () => {
      if (this.iceConnectionState === 'checking' || this.iceConnectionState === 'connected') mark(pc, `ICE ${this.iceConnectionState}`);
    });
    this.addEventListener('connectionstatechange', () => {
      if (this.connectionState === 'connected') mark(pc, 'DTLS connected');
    });
    this.addEventListener('datachannel', ({ channel }) => watchChannel(pc, channel));
    this.addEventListener('track', () => mark(pc, 'first remote track'));
  }

  createDataChannel(...args) {
    const channel = super.createDataChannel(...args);
    watchChannel(this.#index(), channel);
    return channel;
  }

  async createOffer(...args) {
    const offer = await super.createOffer(...args);
    mark(this.#index(), 'offer created');
    return offer;
  }

  async createAnswer(...args) {
    const answer = await super.createAnswer(...args);
    mark(this.#index(), 'answer created');
    return answer;
  }

  async setLocalDescription(...args) {
    await super.setLocalDescription(...args);
    mark(this.#index(), `local ${this.localDescription?.type ?? 'description'} set`);
  }

  async setRemoteDescription(...args) {
    await super.setRemoteDescription(...args);
    mark(this.#index(), `remote ${this.remoteDescription?.type ?? 'description'} set`);
  }

  #index() {
    return connections.indexOf(this) + 1;
  }
};

function watchChannel(pc, channel) {
  const opened = () => mark(pc, 'first data channel open');
  if (channel.readyState === 'open') opened();
  else channel.addEventListener('open', opened, { once: true });
}

// Main-thread work that delays every event above (a busy page opens its socket late).
try {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) steps.push({ t: performance.timeOrigin + entry.startTime + entry.duration, pc: 0, step: 'long task', duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
} catch {
  // No long-task timing in this browser.
}

// The library's own debug lines (Peerix: `peerix:*` patterns, set by the bench), one step per kind of line.
const consoleDebug = console.debug.bind(console);
console.debug = (...args) => {
  const [first, , ...rest] = args;
  if (typeof first === 'string' && first.startsWith('%cpeerix')) {
    if (debugLines.length < 5000) debugLines.push(`${Math.round(performance.timeOrigin + performance.now())} ${first.slice(2)} ${rest.map(String).join(' ')}`);
    // Ids, rooms and sizes differ on every run: "receive BrokerOffer from 3fA_x9Qk" → "receive BrokerOffer from …" (message kinds kept).
    const text = rest
      .map(String)
      .join(' ')
      .replace(/joined \S+/, 'joined …')
      .replace(/[\w-]+/g, (word) => (/^\d+$/.test(word) ? 'N' : /^Broker[A-Z][a-z]+$/.test(word) ? word : word.length >= 8 && /.[\dA-Z_-]/.test(word) ? '…' : word));
    mark(0, `peerix: ${text}`);
  }
  consoleDebug(...args);
};
