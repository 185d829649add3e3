// PeerJS in the bench: a local PeerServer; ids are `<room>-<index>` and each
// peer connects (data, and a media call when it shares a camera) to every
// lower index once its server connection is open. PeerServer queues messages
// for ids that are not there yet.
import { Peer } from 'peerjs';
import { install } from './common.js';

let peer;
const conns = [];
install({
  name: 'peerjs',
  async join({ room, index, urls, stream }, hooks) {
    const { hostname, port } = new URL(urls.peerjs);
    peer = new Peer(`${room}-${index}`, { host: hostname, port: Number(port), path: '/', key: 'peerjs', secure: false, debug: Number(new URLSearchParams(location.search).get('debug') ?? 0), config: { iceServers: [] } });
    const setup = (conn) => {
      conns.push(conn);
      conn.on('open', () => hooks.open(conn.peer));
      conn.on('data', (data) => hooks.data(data.byteLength ?? data.length ?? 0));
      conn.on('error', (e) => console.warn('peerjs conn', e));
    };
    const onCall = (call) => call.on('stream', (s) => hooks.stream(call.peer, s));
    peer.on('connection', setup);
    peer.on('call', (call) => { call.answer(stream); onCall(call); });
    peer.on('error', (e) => console.warn('peerjs', e.type, e.message));
    // Connecting before 'open' loses messages here (PeerJS 1.5 drops what it
    // sends while its WebSocket is still opening), so wait for it.
    peer.on('open', () => {
      hooks.joined();
      for (let j = 0; j < index; j++) {
        setup(peer.connect(`${room}-${j}`, { reliable: true }));
        if (stream) onCall(peer.call(`${room}-${j}`, stream));
      }
    });
  },
  async sendBulk(message, count, progress) {
    const conn = conns[0];
    for (let i = 0; i < count; i++) {
      const r = conn.send(message.buffer);
      if (r instanceof Promise) await r;
      progress(message.byteLength);
    }
  },
  async leave() {
    peer?.destroy();
  },
});
