// simple-peer in the bench: a tiny WebSocket relay (bench/lib/servers.mjs)
// answers a join with the ids in the room; the newcomer initiates to each.
import SimplePeer from 'simple-peer';
import { install } from './common.js';

let ws;
const peers = new Map();
install({
  name: 'simple-peer',
  async join({ room, urls, stream }, hooks) {
    ws = new WebSocket(`${urls.relay}/?room=${encodeURIComponent(room)}`);
    const make = (id, initiator) => {
      const p = new SimplePeer({ initiator, trickle: true, stream, config: { iceServers: [] } });
      peers.set(id, p);
      p.on('signal', (data) => ws.send(JSON.stringify({ type: 'signal', to: id, data })));
      p.on('connect', () => hooks.open(id));
      p.on('data', (data) => hooks.data(data.byteLength));
      p.on('stream', (s) => hooks.stream(id, s));
      p.on('error', (e) => console.warn('simple-peer', e.code, e.message));
      return p;
    };
    ws.onmessage = ({ data }) => {
      const msg = JSON.parse(data);
      if (msg.type === 'peers') {
        hooks.joined();
        for (const id of msg.peers) make(id, true);
      } else if (msg.type === 'signal') {
        (peers.get(msg.from) ?? make(msg.from, false)).signal(msg.data);
      }
    };
    ws.onopen = () => ws.send(JSON.stringify({ type: 'join' }));
  },
  async sendBulk(message, count, progress) {
    // The stream API (write + 'drain') is simple-peer's way to send in bulk;
    // send() has no back-pressure and overflows the channel's buffer.
    const p = [...peers.values()][0];
    for (let i = 0; i < count; i++) {
      if (!p.write(message)) await new Promise((resolve) => p.once('drain', resolve));
      progress(message.byteLength);
    }
  },
  async leave() {
    for (const p of peers.values()) p.destroy();
    ws?.close();
  },
});
