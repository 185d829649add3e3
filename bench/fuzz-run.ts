/**
 * The long fuzz run behind `npm run bench:fuzz` (bundled by bench/fuzz.mjs and
 * run in Node): the codec and the envelope opener each get `cases` mutated
 * inputs; anything but a PeerixError escaping is a failure.
 */
import { PeerixError } from '../src/errors.js';
import { decodeFrame, decodeMessage, encodeFrame, encodeMessage, kindNumber } from '../src/signaling/codec.js';
import { createIdentity } from '../src/signaling/crypto.js';
import { base64urlEncode } from '../src/signaling/encoding.js';
import { Envelopes } from '../src/signaling/envelope.js';
import { PairKeys, createSession, deriveRoomKeys } from '../src/signaling/keys.js';
import { prng } from '../test/prng.js';
import { kinds, mutate, seeds } from '../test/unit/fuzz-inputs.js';

export interface FuzzResult {
  name: string;
  cases: number;
  accepted: number;
  codes: Record<string, number>;
  foreign: string[];
  ms: number;
}

function record(result: FuzzResult, error: unknown): void {
  if (error instanceof PeerixError) result.codes[error.code] = (result.codes[error.code] ?? 0) + 1;
  else if (result.foreign.length < 10) result.foreign.push(String(error));
  else result.foreign.length++;
}

export function fuzzCodec(cases: number, seed = 0x5eed): FuzzResult {
  const result: FuzzResult = { name: 'codec (decodeMessage, decodeFrame)', cases, accepted: 0, codes: {}, foreign: [], ms: 0 };
  const start = performance.now();
  const random = prng(seed);
  const bodies = seeds.map((m) => [kindNumber(m), encodeMessage(m)] as const);
  const frames = seeds.map((m) => encodeFrame(m));
  for (let i = 0; i < cases; i++) {
    try {
      if (i % 2 === 0) {
        const [kind, body] = bodies[i % bodies.length]!;
        const asKind = random() < 0.2 ? kinds[Math.floor(random() * kinds.length)]! : kind;
        decodeMessage(asKind, mutate(random, body));
      } else {
        decodeFrame(mutate(random, frames[i % frames.length]!));
      }
      result.accepted++;
    } catch (error) {
      record(result, error);
    }
  }
  result.ms = performance.now() - start;
  return result;
}

export async function fuzzEnvelopes(cases: number, seed = 0xface): Promise<FuzzResult> {
  const result: FuzzResult = { name: 'envelopes (Envelopes.open)', cases, accepted: 0, codes: {}, foreign: [], ms: 0 };
  const start = performance.now();
  const random = prng(seed);
  const [a, b] = await Promise.all([createIdentity(), createIdentity()]);
  const { roomKey, pairSalt } = await deriveRoomKeys('fuzz', 's');
  const [sa, sb] = [base64urlEncode(createSession()), base64urlEncode(createSession())];
  const make = (encryption: boolean, identity = b, session = sb) =>
    new Envelopes({ identity, roomNamespace: 'ns', roomKey, pairKeys: new PairKeys(identity, pairSalt, session), encryption, compression: true, replayBound: 1024 });
  const receivers = [make(true), make(false)];
  const sealed: { bytes: Uint8Array; encrypted: boolean; to?: string }[] = [];
  for (const encryption of [true, false]) {
    const sender = make(encryption, a, sa);
    for (const msg of seeds) {
      sealed.push({ bytes: await sender.seal(msg), encrypted: encryption });
      sealed.push({ bytes: await sender.seal(msg, b.id, sb), encrypted: encryption, to: b.id });
    }
  }
  for (let i = 0; i < cases; i++) {
    const item = sealed[i % sealed.length]!;
    const to = random() < 0.9 ? item.to : item.to ? undefined : b.id;
    try {
      await receivers[item.encrypted ? 0 : 1]!.open(mutate(random, item.bytes), to);
      result.accepted++;
    } catch (error) {
      record(result, error);
    }
  }
  result.ms = performance.now() - start;
  return result;
}
