/**
 * Inputs shared by the fuzz tests (test/unit/fuzz.test.ts) and the long fuzz
 * run (`npm run bench:fuzz`; the PRNG is test/prng.js): one valid message of each
 * shape, and mutations of valid bytes.
 */
import { Kind } from '../../src/signaling/messages.js';
import type { CompactCandidate, KindNumber, SignalMessage } from '../../src/signaling/messages.js';

const candidate: CompactCandidate = {
  foundation: '2395300328', component: 1, protocol: 'udp', priority: 2122260223, address: '198.18.0.1', port: 54321, type: 'host',
};

export const seeds: SignalMessage[] = [
  { kind: 'Announce' },
  {
    kind: 'BrokerOffer',
    metadata: '{}',
    description: {
      type: 'offer', ufrag: 'abcd', pwd: 'abcdefghijklmnopqrstuvwx', fingerprint: new Uint8Array(32).fill(7), setup: 'actpass',
      sessionId: '4611731400430051336', sessionVersion: 2, sctpPort: 5000, maxMessageSize: 262144,
      candidates: [candidate, { ...candidate, address: 'fd00::2', type: 'srflx', relatedAddress: '0.0.0.0', relatedPort: 0 }],
    },
  },
  { kind: 'BrokerCandidates', candidates: [candidate, { ...candidate, protocol: 'tcp', tcpType: 'passive', address: 'x.local' }], end: true },
  { kind: 'Description', type: 'answer', sdp: 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n' },
  { kind: 'Candidates', candidates: [{ candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ host', sdpMid: '0', sdpMLineIndex: 0 }] },
  { kind: 'ChannelOpen', label: 'chat', options: { ordered: false, maxRetransmits: 3, protocol: 'p' } },
  { kind: 'Streams', streams: [{ id: 's', label: 'camera', tracks: ['a', 'b'] }] },
  { kind: 'Unshare', streamId: 's', tracks: ['a'] },
  { kind: 'Ping', time: 1732780000123 },
  { kind: 'BrokerLeave' },
];

export const kinds = Object.values(Kind) as KindNumber[];

/** A random, truncated, extended or bit-flipped variant of a valid buffer, or pure noise. */
export function mutate(random: () => number, valid: Uint8Array): Uint8Array {
  const int = (n: number) => Math.floor(random() * n);
  switch (int(5)) {
    case 0:
      return Uint8Array.from({ length: int(300) }, () => int(256));
    case 1:
      return valid.slice(0, int(valid.length + 1));
    case 2: {
      const out = valid.slice();
      const flips = 1 + int(4);
      for (let i = 0; i < flips && out.length; i++) out[int(out.length)]! ^= 1 << int(8);
      return out;
    }
    case 3: {
      const out = valid.slice();
      for (let i = 0; i < out.length; i++) if (random() < 0.05) out[i] = int(256);
      return out;
    }
    default: {
      const extra = Uint8Array.from({ length: 1 + int(20) }, () => int(256));
      const at = int(valid.length + 1);
      const out = new Uint8Array(valid.length + extra.length);
      out.set(valid.subarray(0, at));
      out.set(extra, at);
      out.set(valid.subarray(at), at + extra.length);
      return out;
    }
  }
}

