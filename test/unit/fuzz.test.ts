import { expect } from '@open-wc/testing';
import { PeerixError } from '../../src/errors.js';
import { decodeFrame, decodeMessage, encodeFrame, encodeMessage, kindNumber } from '../../src/signaling/codec.js';
import { createIdentity } from '../../src/signaling/crypto.js';
import { PairKeys, deriveRoomKeys } from '../../src/signaling/keys.js';
import { Envelopes } from '../../src/signaling/envelope.js';
import { Kind } from '../../src/signaling/messages.js';
import type { CompactCandidate, KindNumber, SignalMessage } from '../../src/signaling/messages.js';

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const candidate: CompactCandidate = {
  foundation: '2395300328', component: 1, protocol: 'udp', priority: 2122260223, address: '198.18.0.1', port: 54321, type: 'host',
};

const seeds: SignalMessage[] = [
  { kind: 'Announce' },
  {
    kind: 'Offer',
    metadata: '{}',
    description: {
      type: 'offer', ufrag: 'abcd', pwd: 'abcdefghijklmnopqrstuvwx', fingerprint: new Uint8Array(32).fill(7), setup: 'actpass',
      sessionId: '4611731400430051336', sessionVersion: 2, sctpPort: 5000, maxMessageSize: 262144,
      candidates: [candidate, { ...candidate, address: 'fd00::2', type: 'srflx', relatedAddress: '0.0.0.0', relatedPort: 0 }],
    },
  },
  { kind: 'Candidates', candidates: [candidate, { ...candidate, protocol: 'tcp', tcpType: 'passive', address: 'x.local' }], end: true },
  { kind: 'Description', type: 'answer', sdp: 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n' },
  { kind: 'Ice', candidates: [{ candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ host', sdpMid: '0', sdpMLineIndex: 0 }] },
  { kind: 'ChannelOpen', label: 'chat', options: { ordered: false, maxRetransmits: 3, protocol: 'p' } },
  { kind: 'Streams', streams: [{ id: 's', label: 'camera', tracks: ['a', 'b'] }] },
  { kind: 'Unshare', streamId: 's', tracks: ['a'] },
  { kind: 'Ping', time: 1732780000123 },
  { kind: 'Bye' },
];

const kinds = Object.values(Kind) as KindNumber[];

/** A random, truncated, extended or bit-flipped variant of a valid buffer, or pure noise. */
function mutate(random: () => number, valid: Uint8Array): Uint8Array {
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

function expectPeerixError(error: unknown, allowed: string[]): void {
  if (!(error instanceof PeerixError)) throw new Error(`a foreign error escaped: ${String(error)}`);
  expect(allowed).to.include(error.code);
}

describe('fuzz', () => {
  it('decodes 10,000 random, truncated and bit-flipped buffers to a message or a PeerixError', () => {
    const random = prng(0x5eed);
    const bodies = seeds.map((m) => [kindNumber(m), encodeMessage(m)] as const);
    const frames = seeds.map((m) => encodeFrame(m));
    let decoded = 0;
    let rejected = 0;
    for (let i = 0; i < 10_000; i++) {
      try {
        if (i % 2 === 0) {
          const [kind, body] = bodies[i % bodies.length]!;
          // Sometimes decode under another kind: every schema must cope with every other's bytes.
          const asKind = random() < 0.2 ? kinds[Math.floor(random() * kinds.length)]! : kind;
          decodeMessage(asKind, mutate(random, body));
        } else {
          decodeFrame(mutate(random, frames[i % frames.length]!));
        }
        decoded++;
      } catch (error) {
        expectPeerixError(error, ['ERR_DECODE', 'ERR_TOO_LARGE']);
        rejected++;
      }
    }
    expect(decoded + rejected).to.equal(10_000);
    // Both outcomes must be exercised, or the mutations are not reaching the parser.
    expect(decoded).to.be.above(500);
    expect(rejected).to.be.above(500);
  });

  it('opens 2,000 mutated envelopes to a message or a PeerixError', async () => {
    const random = prng(0xface);
    const [a, b] = await Promise.all([createIdentity(), createIdentity()]);
    const room = 'fuzz';
    const { roomKey, pairSalt } = await deriveRoomKeys(room, 's');
    const make = (identity: typeof a, encryption: boolean) =>
      new Envelopes({
        identity, roomNamespace: 'ns', roomKey, pairKeys: new PairKeys(identity, pairSalt, 'AAAAAAAAAAA'),
        encryption, compression: true, now: () => 1_700_000_000_000,
      });
    const configs = [true, false].map((encryption) => ({ sender: make(a, encryption), receiver: make(b, encryption) }));
    const sealed: { bytes: Uint8Array; encryption: boolean; to?: string }[] = [];
    for (const { sender } of configs) {
      for (const msg of seeds) {
        sealed.push({ bytes: await sender.seal(msg), encryption: sender === configs[0]!.sender });
        sealed.push({ bytes: await sender.seal(msg, b.id, 'AAAAAAAAAAA'), encryption: sender === configs[0]!.sender, to: b.id });
      }
    }
    const allowed = ['ERR_DECODE', 'ERR_TOO_LARGE', 'ERR_AUTH', 'ERR_STALE', 'ERR_REPLAY', 'ERR_INVALID_ID', 'ERR_UNEXPECTED', 'ERR_DECOMPRESS', 'ERR_VERSION'];
    const codes = new Map<string, number>();
    let opened = 0;
    for (let i = 0; i < 2_000; i++) {
      const item = sealed[i % sealed.length]!;
      const receiver = configs[item.encryption ? 0 : 1]!.receiver;
      const to = random() < 0.9 ? item.to : item.to ? undefined : b.id;
      try {
        await receiver.open(mutate(random, item.bytes), to);
        opened++;
      } catch (error) {
        expectPeerixError(error, allowed);
        const code = (error as PeerixError).code;
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    }
    expect(opened + [...codes.values()].reduce((x, y) => x + y, 0)).to.equal(2_000);
    expect(codes.get('ERR_AUTH') ?? 0).to.be.above(100);
  });
});
