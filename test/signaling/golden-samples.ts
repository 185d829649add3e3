/**
 * One or more messages of every kind, covering every field, default and
 * alternative encoding (number or text foundation, IP bytes or address text,
 * uint64 or text session id, compact or full-text description). Their bytes
 * as encoded by the codec before the schema rewrite are pinned in
 * golden.test.ts: protocol v2 must stay byte-identical. Samples added since
 * are at the end, each with the change that added it.
 */
import type { CompactCandidate, CompactDescription, SignalMessage } from '../../src/signaling/messages.js';

const candidates: CompactCandidate[] = [
  { foundation: '2395300328', component: 1, protocol: 'udp', priority: 2122260223, address: '198.18.0.1', port: 54321, type: 'host' },
  { foundation: '1', component: 2, protocol: 'tcp', priority: 1518280447, address: '2001:db8::1', port: 9, type: 'host', tcpType: 'active' },
  { foundation: 'a1b2', component: 1, protocol: 'udp', priority: 1686052607, address: '203.0.113.7', port: 61000, type: 'srflx', relatedAddress: '0.0.0.0', relatedPort: 0 },
  { foundation: '4', component: 1, protocol: 'udp', priority: 41885439, address: 'fe80::1:2:3:4', port: 3478, type: 'relay', relatedAddress: '2001:db8:0:0:1::1', relatedPort: 4000 },
  { foundation: '3', component: 1, protocol: 'udp', priority: 0xffffffff, address: '6a2f1f34-7b9c-4a51-9b44-7d1e2b1c0f00.local', port: 65535, type: 'prflx' },
  { foundation: '0', component: 256, protocol: 'tcp', priority: 0, address: '::ffff:1.2.3.4', port: 0, type: 'host', tcpType: 'so' },
  { foundation: '01', component: 1, protocol: 'tcp', priority: 5, address: '10.0.0.1', port: 7, type: 'host', tcpType: 'passive', relatedAddress: 'x.local' },
];

const compact: CompactDescription = {
  type: 'offer',
  ufrag: 'Ab+/',
  pwd: 'abcdefghijklmnopqrstuvwx',
  fingerprint: Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 5) & 255),
  setup: 'actpass',
  sessionId: '4611731400430051336',
  sessionVersion: 2,
  sctpPort: 5000,
  maxMessageSize: 262144,
  candidates,
};

const fullText: CompactDescription = {
  type: 'answer',
  sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n',
  ufrag: '',
  pwd: '',
  fingerprint: new Uint8Array(0),
  setup: 'actpass',
  sessionId: '',
  sessionVersion: 0,
  sctpPort: 0,
  maxMessageSize: 0,
  candidates: [],
};

export const goldenSamples: SignalMessage[] = [
  { kind: 'Announce' },
  { kind: 'BrokerOffer', description: compact, metadata: '{"name":"Ana"}' },
  { kind: 'BrokerOffer', description: { ...compact, candidates: [candidates[0]!] } },
  { kind: 'BrokerOffer', description: { ...compact, sctpPort: 5001, maxMessageSize: 65536, endOfCandidates: true, candidates: [] }, metadata: '' },
  { kind: 'BrokerOffer', description: { ...compact, sessionId: '18446744073709551615', sessionVersion: 9007199254740991, candidates: [] } },
  { kind: 'BrokerOffer', description: { ...compact, sessionId: 'not-a-number', candidates: [] } },
  { kind: 'BrokerAnswer', description: { ...compact, type: 'answer', setup: 'active', candidates: candidates.slice(2, 4) }, metadata: '{"n":"Ωμέγα 🎉"}' },
  { kind: 'BrokerAnswer', description: { ...compact, type: 'answer', setup: 'passive', candidates: [] } },
  { kind: 'BrokerAnswer', description: fullText },
  { kind: 'BrokerCandidates', candidates: [] },
  { kind: 'BrokerCandidates', candidates, end: false },
  { kind: 'BrokerCandidates', candidates: [], end: true },
  { kind: 'BrokerLeave' },
  { kind: 'Description', type: 'offer', sdp: '' },
  { kind: 'Description', type: 'answer', sdp: 'v=0\r\n' },
  { kind: 'Candidates', candidates: [] },
  {
    kind: 'Candidates',
    candidates: [
      { candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ host', sdpMid: '0', sdpMLineIndex: 0 },
      { candidate: '' },
      { candidate: 'x', sdpMid: 'é' },
      { candidate: 'y', sdpMLineIndex: 65535 },
    ],
  },
  { kind: 'ChannelOpen', label: '' },
  { kind: 'ChannelOpen', label: 'chat', options: {} },
  { kind: 'ChannelOpen', label: 'chat', options: { ordered: false, maxRetransmits: 0, protocol: 'json' } },
  { kind: 'ChannelOpen', label: 'f', options: { ordered: true, maxPacketLifeTime: 65535, protocol: '' } },
  { kind: 'ChannelClose', label: 'chat' },
  { kind: 'ChannelClose', label: '' },
  { kind: 'Streams', streams: [] },
  { kind: 'Streams', streams: [{ id: '{abc}', label: 'camera', tracks: ['t1', 't2'] }, { id: 'x', label: '', tracks: [] }] },
  { kind: 'Unshare', streamId: 's', tracks: [] },
  { kind: 'Unshare', streamId: '', tracks: ['a', 'b'] },
  { kind: 'Ping', time: 0 },
  { kind: 'Ping', time: 1732780000123 },
  { kind: 'Pong', time: 9007199254740991 },
  { kind: 'Leave' },
  { kind: 'Negotiate', audio: 0, video: 0 },
  { kind: 'Negotiate', audio: 1, video: 64 },
  // Added with the hex credential fields (14, 15): Firefox's lowercase hex ufrag and pwd
  // travel as bytes; odd-length or uppercase hex stays text.
  { kind: 'BrokerOffer', description: { ...compact, ufrag: '8f3a1c2b', pwd: '0123456789abcdef0123456789abcdef', candidates: [] } },
  { kind: 'BrokerAnswer', description: { ...compact, type: 'answer', setup: 'active', ufrag: 'abc12', pwd: '0123456789ABCDEF0123456789ABCDEF', candidates: [] } },
];
