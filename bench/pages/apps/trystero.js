// Minimal "join a room and chat" app: Trystero's MQTT strategy.
import { joinRoom } from '../trystero-mqtt.js';

const log = document.querySelector('#log');
const input = document.querySelector('#input');
const room = joinRoom({ appId: 'chat', relayConfig: { urls: ['wss://broker.example/mqtt'] } }, 'lobby');
const chat = room.makeAction('chat');
chat.onMessage = (data) => log.append(`${data}\n`);
input.onchange = () => { chat.send(input.value); input.value = ''; };
