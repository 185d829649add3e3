// One peer per page with a SharedState and a Y.Doc on PeerixProvider, over MQTT:
// window.start(options), window.edit(ms), window.snapshot(). Used by test/e2e/state.test.mjs.
import { MqttDriver, Peer, SharedState, PeerixProvider, Y } from '/__state/bundle.js';
import { prng } from '/test/prng.js';

window.log = { errors: [], syncs: 0, synced: 0, connection: [] };
window.start = async ({ url, room, name, seed }) => {
  const { connect } = await import('/__build/mqtt.js');
  const driver = new MqttDriver({ client: connect(url, { protocolVersion: 4, reconnectPeriod: 500 }), prefix: 'state/' });
  const peer = new Peer({ driver });
  const state = new SharedState();
  const doc = new Y.Doc();
  const provider = new PeerixProvider(doc, peer);
  provider.awareness.setLocalStateField('user', { name });
  state.on('error', ({ error }) => log.errors.push(`state ${error.code}: ${error.message}`));
  state.on('sync', () => log.syncs++);
  provider.on('error', ({ error }) => log.errors.push(`yjs ${error.code}: ${error.message}`));
  provider.on('synced', () => log.synced++);
  peer.on('connection', ({ type }) => log.connection.push(type));
  peer.attach(state);
  Object.assign(window, { peer, state, doc, provider, name, random: prng(seed) });
  await peer.join({ room, metadata: { name } });
};

/** Names of the peers whose state and Yjs channels are both open. */
window.openPeers = () => [...peer.connections.values()]
  .filter((r) => r.channels.get('peerix-state')?.readyState === 'open' && r.channels.get('peerix-yjs')?.readyState === 'open')
  .map((r) => r.metadata.name).sort();

/** Random concurrent edits for `ms`: map keys set and deleted, Y.Text inserts and deletes, Y.Map sets. */
window.edit = (ms, { prefix = '' } = {}) => new Promise((resolve) => {
  let count = 0;
  const text = doc.getText('t');
  const ymap = doc.getMap('m');
  const timer = setInterval(() => {
    const r = random();
    const key = `${prefix}k${Math.floor(random() * 30)}`;
    if (r < 0.35) state.set(key, { by: name, n: count, at: Date.now() });
    else if (r < 0.45) state.delete(key);
    else if (r < 0.75) text.insert(Math.floor(random() * (text.length + 1)), `${name}${count} `);
    else if (r < 0.85 && text.length > 4) text.delete(Math.floor(random() * (text.length - 3)), 1 + Math.floor(random() * 3));
    else ymap.set(key, `${name}:${count}`);
    count++;
  }, 60);
  setTimeout(() => { clearInterval(timer); resolve(count); }, ms);
});

// Keys sorted: a Y.Map lists keys in the order this replica learned them.
window.snapshot = () => JSON.stringify({ map: state.toJSON(), text: doc.getText('t').toString(), ymap: Object.fromEntries(Object.entries(doc.getMap('m').toJSON()).sort(([x], [y]) => (x < y ? -1 : 1))) });
window.presence = () => [...provider.awareness.getStates().values()].map((s) => s.user?.name).filter(Boolean).sort();

window.ready = true;
