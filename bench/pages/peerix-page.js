// Peerix in the bench: MqttDriver over mqtt.js (MQTT 5), encryption and compression on (defaults).
// Shared by peerix.js (this tree) and peerix-base.js (BENCH_BASE: another commit, side by side).
import mqtt from 'mqtt';
import { install } from './common.js';

export function installPeerix(name, { Peer, MqttDriver, tune }) {
  let peer;
  let client;
  install({
    name,
    async join({ room, urls, stream, sendWindow }, hooks) {
      if (sendWindow) tune?.(sendWindow);
      // writeCache: false — mqtt.js otherwise builds 65,536 number buffers on the first write, in the join's critical path.
      client = mqtt.connect(urls.mqtt, { protocolVersion: 5, writeCache: false });
      peer = new Peer({ driver: new MqttDriver({ client, prefix: 'peerix/' }) });
      peer.open({ label: 'data' });
      peer.on('channel:open', ({ remote, label }) => label === 'data' && hooks.open(remote.id));
      peer.on('channel:message', ({ data }) => hooks.data(typeof data === 'string' ? data.length : data.byteLength));
      peer.on('stream:add', ({ remote, stream }) => hooks.stream(remote.id, stream));
      peer.on('error', ({ error }) => console.warn('peerix', error.code, error.message));
      if (stream) peer.share({ label: 'camera', stream });
      await peer.join({ room, metadata: { name: 'bench' } });
      hooks.joined();
    },
    async sendBulk(message, count, progress) {
      const sends = [];
      for (let i = 0; i < count; i++) {
        let last = 0;
        sends.push(peer.send(message, { label: 'data', onProgress: ({ sent }) => { progress(sent - last); last = sent; } }));
      }
      await Promise.all(sends);
    },
    async leave() {
      await peer?.leave();
      client?.end(true);
    },
  });
}
