// Minimal "join a room and chat" app: simple-peer over a WebSocket room relay.
import SimplePeer from 'simple-peer';

const log = document.querySelector('#log');
const input = document.querySelector('#input');
const ws = new WebSocket('wss://relay.example/?room=lobby');
const peers = new Map();
const make = (id, initiator) => {
  const p = new SimplePeer({ initiator });
  peers.set(id, p);
  p.on('signal', (data) => ws.send(JSON.stringify({ type: 'signal', to: id, data })));
  p.on('data', (data) => log.append(`${data}\n`));
  return p;
};
ws.onopen = () => ws.send(JSON.stringify({ type: 'join' }));
ws.onmessage = ({ data }) => {
  const msg = JSON.parse(data);
  if (msg.type === 'peers') for (const id of msg.peers) make(id, true);
  else (peers.get(msg.from) ?? make(msg.from, false)).signal(msg.data);
};
input.onchange = () => { for (const p of peers.values()) if (p.connected) p.send(input.value); input.value = ''; };
