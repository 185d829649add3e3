import { expect } from '@open-wc/testing';
import { PeerixError } from '../../src/errors.js';
import { decodeFrame, decodeMessage, encodeFrame, encodeMessage, kindNumber } from '../../src/signaling/codec.js';
import { createIdentity } from '../../src/signaling/crypto.js';
import { PairKeys, deriveRoomKeys } from '../../src/signaling/keys.js';
import { Envelopes } from '../../src/signaling/envelope.js';
import { prng } from '../prng.js';
import { kinds, mutate, seeds } from './fuzz-inputs.js';

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
