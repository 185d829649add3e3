// Minimal "join a room and chat" app: Peerix over MQTT.
import mqtt from 'mqtt';
import { Peer } from '../../../src/index.ts';
import { MqttDriver } from '../../../src/drivers/mqtt.ts';

const log = document.querySelector('#log');
const input = document.querySelector('#input');
const peer = new Peer({ driver: new MqttDriver({ client: mqtt.connect('wss://broker.example/mqtt', { protocolVersion: 5 }) }) });
peer.open({ label: 'chat' });
peer.on('channel:message', ({ data }) => log.append(`${data}\n`));
input.onchange = () => { peer.send(input.value, { label: 'chat' }); input.value = ''; };
peer.join({ room: 'lobby' });
