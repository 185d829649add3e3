// One peer per page over the driver the test names: window.start(options), window.state.
// Used by the driver meshes, the cross-browser calls and the network-outage tests.
import * as peerix from '/__build/peerix.js';

const clients = {
  async mqtt({ url, mqttVersion = 5 }) {
    const { connect } = await import('/__build/mqtt.js');
    return new peerix.MqttDriver({ client: connect(url, { protocolVersion: mqttVersion, reconnectPeriod: 500 }), prefix: 'mesh/' });
  },
  async nats({ url }) {
    const { wsconnect } = await import('/__build/nats-core.js');
    const nc = await wsconnect({ servers: url, reconnectTimeWait: 500, maxReconnectAttempts: -1 });
    return new peerix.NatsDriver({ nc, prefix: 'mesh.' });
  },
  async 'socket-io'({ url }) {
    const { io } = await import('/__build/socket.io-client.js');
    return new peerix.SocketIoDriver({ socket: io(url, { transports: ['websocket'] }), prefix: 'peerix:' });
  },
  async sse({ url, token }) {
    return new peerix.SseDriver({ url, prefix: 'mesh/', publisher: { headers: { Authorization: `Bearer ${token}` } } });
  },
  async supabase({ url, key }) {
    const { createClient } = await import('/__build/supabase.js');
    return new peerix.SupabaseDriver({ supabase: createClient(url, key, { auth: { persistSession: false } }), prefix: 'mesh:' });
  },
  async centrifuge({ url, token }) {
    const { Centrifuge } = await import('/__build/centrifuge.js');
    const centrifuge = new Centrifuge(url, { token });
    centrifuge.connect();
    return new peerix.CentrifugeDriver({ centrifuge, prefix: 'mesh:' });
  },
};

window.state = { messages: [], streams: [], errors: [], actives: [], closed: [], connection: [] };
window.start = async ({ kind, room, name, share, audio = false, iceServers, iceTransportPolicy, heartbeatTimeout, holdAnnounce = false, ...options }) => {
  const driver = await clients[kind](options);
  if (holdAnnounce) holdRoomPublishes(driver);
  driver.on('active', ({ active }) => state.actives.push(active));
  const peer = new peerix.Peer({ driver, iceServers, iceTransportPolicy, ...(heartbeatTimeout ? { heartbeatTimeout } : {}) });
  window.peer = peer;
  window.driver = driver;
  peer.on('channel:message', ({ remote, data }) => state.messages.push(`${remote.metadata.name}:${data}`));
  peer.on('stream:add', ({ remote, stream, label }) => state.streams.push({ from: remote.metadata.name, stream, label }));
  peer.on('stream:remove', ({ stream }) => (state.streams = state.streams.filter((s) => s.stream !== stream)));
  peer.on('connection:closed', ({ remote }) => state.closed.push(remote.metadata.name));
  peer.on('connection', ({ type }) => state.connection.push(type));
  peer.on('error', ({ error }) => state.errors.push(`${error.code}: ${error.message}`));
  peer.open({ label: 'data' });
  if (share) {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio });
    peer.share({ label: 'camera', stream });
  }
  await peer.join({ room, metadata: { name } });
};
/** Keeps the driver's room publishes (the announce) until `window.releaseAnnounce()`: tests make announces cross. */
function holdRoomPublishes(driver) {
  const publish = driver.publish.bind(driver);
  let held = [];
  driver.publish = (namespace, message) => (held ? void held.push([namespace, message]) : publish(namespace, message));
  window.releaseAnnounce = () => {
    const waiting = held;
    held = null;
    for (const [namespace, message] of waiting) publish(namespace, message);
  };
}
window.openChannels = () => [...peer.connections.values()].filter((r) => r.channels?.get('data')?.readyState === 'open').map((r) => r.metadata.name).sort();
window.framesFrom = (name, ms = 1500) => {
  const entry = state.streams.find((s) => s.from === name);
  if (!entry) return Promise.resolve(-1);
  return new Promise((resolve) => {
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = entry.stream;
    document.body.append(video);
    let frames = 0;
    const tick = () => { frames++; video.requestVideoFrameCallback(tick); };
    video.requestVideoFrameCallback(tick);
    video.play().catch(() => {});
    setTimeout(() => { video.remove(); resolve(frames); }, ms);
  });
};
const remoteNamed = (name) => [...peer.connections.values()].find((r) => r.metadata.name === name);
/** `read()` before and after `ms`. */
const aroundWindow = async (read, ms) => {
  const before = await read();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return [before, await read()];
};
/** One connection's video RTP stats of `type` ('inbound-rtp' or 'outbound-rtp'). */
const videoRtp = async (remote, type) => {
  const out = [];
  (await remote.connection.getStats()).forEach((s) => s.type === type && s.kind === 'video' && out.push(s));
  return out;
};
/** Video frames decoded from `name` over `ms` (inbound-rtp framesDecoded, all its video), with the bytes that came. */
window.decodedFrom = async (name, ms = 3000) => {
  const remote = remoteNamed(name);
  if (!remote) return { frames: -1, detail: `no connection to ${name}` };
  const sum = async () => (await videoRtp(remote, 'inbound-rtp')).reduce((t, s) => ({ frames: t.frames + (s.framesDecoded ?? 0), bytes: t.bytes + (s.bytesReceived ?? 0) }), { frames: 0, bytes: 0 });
  const [before, after] = await aroundWindow(sum, ms);
  return { frames: after.frames - before.frames, detail: `${after.bytes - before.bytes} video bytes received, state ${remote.state}` };
};
/** What this page sends `name` as video over `ms`: bytes, frames, and why the encoder holds back. */
window.sentTo = async (name, ms = 3000) => {
  const remote = remoteNamed(name);
  if (!remote) return `no connection to ${name}`;
  const [before, after] = await aroundWindow(() => videoRtp(remote, 'outbound-rtp'), ms);
  return after
    .map((a, i) => `${(a.bytesSent ?? 0) - (before[i]?.bytesSent ?? 0)} B, ${(a.framesEncoded ?? 0) - (before[i]?.framesEncoded ?? 0)} frames, limited by ${a.qualityLimitationReason}, active ${a.active}`)
    .join('; ');
};
/** Candidate types of each connection's selected pair, e.g. 'relay/relay'. */
window.selectedPairTypes = async () => {
  const out = [];
  for (const remote of peer.connections.values()) {
    const stats = await remote.connection.getStats();
    let pair;
    stats.forEach((s) => {
      if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
    });
    if (!pair) stats.forEach((s) => { if (s.type === 'candidate-pair' && (s.selected || s.nominated) && s.state === 'succeeded') pair = s; });
    out.push(pair ? `${stats.get(pair.localCandidateId)?.candidateType}/${stats.get(pair.remoteCandidateId)?.candidateType}` : 'none');
  }
  return out;
};
window.ready = true;
