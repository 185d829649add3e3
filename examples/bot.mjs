#!/usr/bin/env node
// A Peerix bot in Node.js: joins a room through an MQTT broker, greets everyone
// by name in the chat of <peerix-chat> (label "chat", JSON { text, time }),
// answers "/time", and sends back whatever arrives on the "files" channel.
//
//   npm install peerix mqtt @roamhq/wrtc
//   PEERIX_URL=mqtt://broker.example:1883 PEERIX_ROOM=standup node examples/bot.mjs
//
// Settings (environment): PEERIX_URL (default mqtt://127.0.0.1:1883),
// PEERIX_ROOM (default lobby), PEERIX_NAME (default Bot), PEERIX_PREFIX (topic
// prefix, default none, as <peerix-room>), PEERIX_SECRET (room secret, if any).
import { connect } from 'mqtt';
import wrtc from '@roamhq/wrtc';
import { MqttDriver, Peer } from 'peerix';

const url = process.env.PEERIX_URL ?? 'mqtt://127.0.0.1:1883';
const room = process.env.PEERIX_ROOM ?? 'lobby';
const name = process.env.PEERIX_NAME ?? 'Bot';

// One unhandled rejection would end the bot: log it and carry on.
process.on('unhandledRejection', (reason) => console.error('bot: unhandled rejection:', reason));

const client = connect(url, { protocolVersion: 5, reconnectPeriod: 1000 });
const driver = new MqttDriver({ client, prefix: process.env.PEERIX_PREFIX ?? '' });
const peer = new Peer({ driver, rtc: wrtc, ...(process.env.PEERIX_SECRET ? { secret: process.env.PEERIX_SECRET } : {}) });

const nameOf = (remote) => (typeof remote.metadata.name === 'string' && remote.metadata.name.slice(0, 64)) || 'there';
const say = (remote, text) => remote.send(JSON.stringify({ text, time: Date.now() }), { label: 'chat' }).catch((error) => console.error('bot: send failed:', error.message));

peer.open({ label: 'chat', ordered: true });
peer.open({ label: 'files', ordered: true });

peer.on('channel:open', ({ remote, label }) => {
  if (label !== 'chat') return;
  console.log(`bot: ${nameOf(remote)} is here`);
  say(remote, `Hello, ${nameOf(remote)}! I answer /time, and send back any file you send me.`);
});

peer.on('channel:message', ({ remote, label, data }) => {
  if (label === 'files') {
    // Echo: the same bytes (or text) back to the sender only.
    remote.send(data, { label: 'files' }).catch((error) => console.error('bot: echo failed:', error.message));
    return;
  }
  if (label !== 'chat' || typeof data !== 'string') return;
  let text;
  try {
    text = JSON.parse(data)?.text;
  } catch {
    return; // not a chat message
  }
  if (typeof text === 'string' && text.trim() === '/time') say(remote, `It is ${new Date().toISOString()}.`);
});

peer.on('connection:closed', ({ remote }) => console.log(`bot: ${nameOf(remote)} left`));
peer.on('error', ({ error }) => console.error(`bot: ${error.code}: ${error.message}`));

await peer.join({ room, metadata: { name } });
console.log(`bot: joined "${room}" as ${name} through ${url}`);

// Leave cleanly, so the others see the bot go at once.
async function stop() {
  await peer.leave().catch(() => {});
  await client.endAsync().catch(() => {});
  process.exit(0);
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
