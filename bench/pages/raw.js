// A bare RTCDataChannel between two pages, signaled by compare.mjs itself
// (complete SDP, no trickle): the machine's data channel limit.
import { install } from './common.js';

let HIGH = 1024 * 1024;
let LOW = 256 * 1024;
let pc;
let dc;
let hooks;

async function gathered() {
  if (pc.iceGatheringState !== 'complete') {
    await new Promise((resolve) => pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve()));
  }
  return { type: pc.localDescription.type, sdp: pc.localDescription.sdp };
}

const bind = (channel) => {
  dc = channel;
  dc.binaryType = 'arraybuffer';
  dc.bufferedAmountLowThreshold = LOW;
  dc.onopen = () => hooks.open('raw');
  dc.onmessage = ({ data }) => hooks.data(data.byteLength ?? data.length);
  if (dc.readyState === 'open') hooks.open('raw');
};

window.raw = {
  async offer() {
    pc.addEventListener('datachannel', () => {});
    bind(pc.createDataChannel('raw', { ordered: true }));
    await pc.setLocalDescription(await pc.createOffer());
    return gathered();
  },
  async answer(offer) {
    pc.ondatachannel = ({ channel }) => bind(channel);
    await pc.setRemoteDescription(offer);
    await pc.setLocalDescription(await pc.createAnswer());
    return gathered();
  },
  async accept(answer) {
    await pc.setRemoteDescription(answer);
  },
};

install({
  name: 'raw',
  async join(options, h) {
    hooks = h;
    if (options.rawWindow) [HIGH, LOW] = options.rawWindow;
    pc = new RTCPeerConnection({ iceServers: [] });
  },
  async sendBulk(message, count, progress) {
    for (let i = 0; i < count; i++) {
      if (dc.bufferedAmount > HIGH) {
        await new Promise((resolve) => { dc.onbufferedamountlow = () => { dc.onbufferedamountlow = null; resolve(); }; });
      }
      dc.send(message);
      progress(message.byteLength);
    }
  },
  leave() {
    pc?.close();
  },
});
