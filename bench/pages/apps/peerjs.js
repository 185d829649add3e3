// Minimal "join a room and chat" app: PeerJS (ids `lobby-<n>`, connect to the others).
import { Peer } from 'peerjs';

const log = document.querySelector('#log');
const input = document.querySelector('#input');
const index = Number(location.hash.slice(1));
const peer = new Peer(`lobby-${index}`, { host: 'peers.example', path: '/' });
const conns = [];
const add = (conn) => { conns.push(conn); conn.on('data', (data) => log.append(`${data}\n`)); };
peer.on('connection', add);
for (let j = 0; j < index; j++) add(peer.connect(`lobby-${j}`));
input.onchange = () => { for (const c of conns) c.send(input.value); input.value = ''; };
