// Trystero in the bench: its MQTT strategy on the same Mosquitto as Peerix.
import { joinRoom } from './trystero-mqtt.js';
import { install } from './common.js';

let room;
let action;
let remotes = [];
install({
  name: 'trystero',
  async join({ room: name, urls, stream }, hooks) {
    room = joinRoom({ appId: 'peerix-bench', relayConfig: { urls: [urls.mqtt] }, rtcConfig: { iceServers: [] } }, name);
    action = room.makeAction('data');
    action.onMessage = (data) => hooks.data(data.byteLength ?? data.length ?? 0);
    room.onPeerJoin = (id) => {
      remotes.push(id);
      hooks.open(id);
      if (stream) room.addStream(stream, { target: id });
    };
    room.onPeerStream = (s, id) => hooks.stream(id, s);
    if (stream) room.addStream(stream);
    hooks.joined();
  },
  async sendBulk(message, count, progress) {
    // One send at a time, as its docs do: 2048 concurrent sends of 16 KiB
    // did not finish in 3 minutes here.
    for (let i = 0; i < count; i++) {
      await action.send(message.buffer, { target: remotes[0] });
      progress(message.byteLength);
    }
  },
  async leave() {
    await room?.leave();
  },
});
