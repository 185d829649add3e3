// Shared page side of `npm run bench`: one uniform `window.bench` API over a
// library adapter, so compare.mjs drives every library the same way.
// Times are `performance.timeOrigin + performance.now()`: one clock for
// every page of the machine, so a mesh time is max(end) − min(start).

// Every RTCPeerConnection the library makes (for library-neutral stats), and
// the steps of each join (section `trace` of the bench).
import { connections, debugLines, steps } from './trace.js';

export const now = () => performance.timeOrigin + performance.now();

export async function camera() {
  return navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240, frameRate: 15 }, audio: false });
}

/** Installs `window.bench` over `adapter` (see pages/*.js). */
export function install(adapter) {
  const state = {
    t0: 0, t1: 0, expected: 0, open: new Set(), joinedAt: 0, error: '', firstFrame: {}, videos: 0,
    rxBytes: 0, rxFirst: 0, rxDone: 0, rxExpect: Infinity, txStart: 0, txEnd: 0, progress: 0,
  };
  const fail = (error) => { state.error ||= String(error?.message ?? error); };
  const hooks = {
    open(id) {
      state.open.add(String(id));
      if (!state.t1 && state.open.size >= state.expected) state.t1 = now();
    },
    joined() { state.joinedAt ||= now(); },
    stream(id, stream) {
      if (document.querySelector(`video[data-peer="${CSS.escape(String(id))}"]`)) return;
      const video = document.createElement('video');
      video.dataset.peer = String(id);
      video.muted = true;
      video.autoplay = true;
      video.playsInline = true;
      video.width = 160;
      video.srcObject = stream;
      document.body.append(video);
      state.videos++;
      video.requestVideoFrameCallback(() => { state.firstFrame[id] ??= now(); });
      video.play().catch(() => {});
    },
    data(byteLength) {
      if (!state.rxFirst) state.rxFirst = now();
      state.rxBytes += byteLength;
      if (!state.rxDone && state.rxBytes >= state.rxExpect) state.rxDone = now();
    },
    error: fail,
  };
  window.bench = {
    name: adapter.name,
    async join(options) {
      state.expected = options.n - 1;
      if (options.video) options.stream = await camera();
      state.t0 = now();
      if (state.expected === 0) state.t1 = state.t0;
      try {
        await adapter.join(options, hooks);
      } catch (error) {
        fail(error);
      }
      return state.t0;
    },
    status() {
      const { open, ...rest } = state;
      return { ...rest, openCount: open.size };
    },
    expect(bytes) {
      Object.assign(state, { rxBytes: 0, rxFirst: 0, rxDone: 0, rxExpect: bytes });
    },
    /** Sends `count` messages of `size` bytes to the one remote peer with the library's own API. */
    async sendBulk({ size, count }) {
      const message = new Uint8Array(size);
      for (let i = 0; i < size; i++) message[i] = i & 255;
      state.progress = 0;
      state.txStart = now();
      try {
        await adapter.sendBulk(message, count, (n) => { state.progress += n; });
      } catch (error) {
        fail(error);
      }
      state.txEnd = now();
      return state.txStart;
    },
    /** The WebRTC and WebSocket steps this page went through (see trace.js). */
    trace() {
      return steps;
    },
    /** Peerix's debug lines with ids, when the bench turned debug on. */
    debugLines() {
      return debugLines;
    },
    /** Sum of video frames decoded on every connection of this page. */
    async framesDecoded() {
      let frames = 0;
      for (const pc of connections) {
        if (pc.connectionState === 'closed') continue;
        try {
          const stats = await pc.getStats();
          stats.forEach((r) => { if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded ?? 0; });
        } catch {}
      }
      return frames;
    },
    async leave() {
      try { await adapter.leave?.(); } catch {}
    },
  };
  window.benchReady = true;
}
