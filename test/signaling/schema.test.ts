import { expect } from '@open-wc/testing';
import { PeerixError } from '../../src/errors.js';
import { decodeFrame, decodeMessage, encodeFrame, encodeMessage, kindNumber } from '../../src/signaling/codec.js';
import { Kind, MAX_ITEMS, MESSAGES, valid, validMessage } from '../../src/signaling/schema.js';
import type { FieldType, KindName, MessageSpec } from '../../src/signaling/schema.js';
import type { SignalMessage } from '../../src/signaling/messages.js';
import { prng } from '../prng.js';

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const int = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

// The last three are SDP origins (Negotiate's `seen`).
const TEXT = ['', 'a', 'chat', 'Ωμέγα', '🎉 x', '\uFEFFbom', 'x'.repeat(300), 'é'.repeat(1000), '0 0', '4611731400430051336 2', '18446744073709551615 18446744073709551615'];
const ADDRESSES = ['198.18.0.1', '0.0.0.0', '255.255.255.255', '::', '::1', 'fe80::1:2:3:4', '2001:db8::1:0:0:1', '01.2.3.4', '2001:DB8::1', 'a1b2c3.local', 'x'];
const FOUNDATIONS = ['0', '1', '4294967295', '4294967296', '01', 'a1b2', 'Zz+/', 'x'.repeat(32)];
const CREDENTIALS = ['8f3a1c2b', '0123456789abcdef0123456789abcdef', 'ab', 'abc', 'ABCD', 'Ab+/', 'f'.repeat(256), 'abcdefghijklmnopqrstuvwx'];
const SESSION_IDS = ['0', '4611731400430051336', '18446744073709551615', '18446744073709551616', 'not-a-number', '007'];

/** A random valid value of `type`, chosen to hit edges (limits, both encodings of decimals and addresses). */
function value(random: Random, type: FieldType, depth: number): unknown {
  switch (type.type) {
    case 'uint':
      return random() < 0.3 ? pick(random, [type.min, type.max]) : int(random, type.min, Math.min(type.max, 1e6));
    case 'time':
      return pick(random, [0, 1, 1732780000123, Number.MAX_SAFE_INTEGER]);
    case 'bool':
      return random() < 0.5;
    case 'enum':
      return pick(random, type.values);
    case 'string':
      return pick(random, TEXT.filter((t) => new TextEncoder().encode(t).length <= type.max && (!type.pattern || type.pattern.test(t))));
    case 'bytes':
      return Uint8Array.from({ length: type.size }, () => int(random, 0, 255));
    case 'decimal':
      return type.bits === 32 ? pick(random, FOUNDATIONS) : pick(random, SESSION_IDS);
    case 'address':
      return pick(random, ADDRESSES);
    case 'hex':
      return pick(random, CREDENTIALS.filter((t) => t.length <= type.max));
    case 'message':
      return fields(random, type.of, depth + 1);
  }
}

/** A random valid message body: every rule exercised (absent optionals, defaults, empty and long lists). */
function fields(random: Random, spec: MessageSpec, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of spec.fields) {
    switch (f.rule) {
      case 'repeated': {
        const n = random() < 0.05 ? MAX_ITEMS >> depth : int(random, 0, 3);
        out[f.name] = Array.from({ length: n }, () => value(random, f.of, depth));
        break;
      }
      case 'optional':
        if (random() < 0.5) out[f.name] = value(random, f.of, depth);
        break;
      case 'flag':
        if (random() < 0.5) out[f.name] = true;
        break;
      case 'full':
        // A full-text description leaves the compact fields at their empty values; tested in golden.test.ts.
        break;
      case 'default':
        out[f.name] = random() < 0.3 ? f.value : value(random, f.of, depth);
        break;
      default:
        out[f.name] = value(random, f.of, depth);
    }
  }
  return out;
}

function randomMessage(random: Random, kind: KindName): SignalMessage {
  const body = fields(random, MESSAGES[kind]);
  return { kind, ...body } as unknown as SignalMessage;
}

function expectDecodeError(fn: () => unknown): 'decoded' | 'rejected' {
  try {
    fn();
    return 'decoded';
  } catch (error) {
    if (!(error instanceof PeerixError)) throw new Error(`a foreign error escaped: ${String(error)}`);
    expect(['ERR_DECODE', 'ERR_TOO_LARGE']).to.include(error.code);
    return 'rejected';
  }
}

const kinds = Object.keys(Kind) as KindName[];

describe('wire schema', () => {
  it('round-trips 100 random valid messages of every kind (body and in-band frame)', function () {
    this.timeout(180000); // deep comparisons of large messages on a loaded machine
    const random = prng(0x5c4e3a);
    for (const kind of kinds) {
      for (let i = 0; i < 100; i++) {
        const msg = randomMessage(random, kind);
        expect(validMessage(MESSAGES[kind], msg), `${kind} #${i} is valid`).to.equal(true);
        let body: Uint8Array;
        try {
          body = encodeMessage(msg);
        } catch (error) {
          // Only the 64 KiB body cap may refuse a valid message (64 candidates of long text).
          expect((error as PeerixError).code, `${kind} #${i}`).to.equal('ERR_TOO_LARGE');
          continue;
        }
        expect(decodeMessage(kindNumber(msg), body), `${kind} #${i}`).to.deep.equal(msg);
        expect(decodeFrame(encodeFrame(msg)), `${kind} #${i} frame`).to.deep.equal(msg);
      }
    }
  });

  it('gives only ERR_DECODE (or ERR_TOO_LARGE) for every truncation and for garbage, never another exception', function () {
    this.timeout(180000);
    const random = prng(0xbad);
    let rejected = 0;
    for (const kind of kinds) {
      for (let i = 0; i < 20; i++) {
        let frame: Uint8Array;
        try {
          frame = encodeFrame(randomMessage(random, kind));
        } catch {
          continue; // over the 64 KiB body cap
        }
        // Every cut of small frames; about 300 cuts of large ones.
        const step = Math.max(1, Math.floor(frame.length / 300));
        for (let end = 0; end < frame.length; end += step) {
          if (expectDecodeError(() => decodeFrame(frame.subarray(0, end))) === 'rejected') rejected++;
        }
        const garbage = Uint8Array.from({ length: int(random, 1, 200) }, () => int(random, 0, 255));
        expectDecodeError(() => decodeMessage(Kind[kind], garbage));
        expectDecodeError(() => decodeFrame(Uint8Array.of(Kind[kind], ...garbage)));
      }
    }
    expect(rejected).to.be.above(1000);
  });

  it('refuses to encode values the schema calls invalid, with ERR_INVALID_ARGUMENT', () => {
    const bad: [SignalMessage, string][] = [
      [{ kind: 'Negotiate', audio: MAX_ITEMS + 1, video: 0 }, 'count over 64'],
      [{ kind: 'Ping', time: Number.POSITIVE_INFINITY }, 'infinite time'],
      [{ kind: 'Description', type: 'pranswer' as 'offer', sdp: '' }, 'enum outside the table'],
      [{ kind: 'BrokerCandidates', candidates: [{ foundation: 'a b', component: 1, protocol: 'udp', priority: 1, address: '1.2.3.4', port: 1, type: 'host' }] }, 'foundation syntax'],
      [{ kind: 'BrokerCandidates', candidates: [{ foundation: '1', component: 0, protocol: 'udp', priority: 1, address: '1.2.3.4', port: 1, type: 'host' }] }, 'component 0'],
      [{ kind: 'BrokerCandidates', candidates: [{ foundation: '1', component: 1, protocol: 'udp', priority: 1, address: 'a\r\nb', port: 1, type: 'host' }] }, 'address syntax'],
      [{ kind: 'Unshare', streamId: 7 as unknown as string, tracks: [] }, 'number as string'],
      [{ kind: 'Streams', streams: 'x' as unknown as [] }, 'string as list'],
    ];
    for (const [msg, why] of bad) {
      try {
        encodeMessage(msg);
        expect.fail(`encoded ${why}`);
      } catch (error) {
        expect((error as PeerixError).code, why).to.equal('ERR_INVALID_ARGUMENT');
      }
    }
  });

  it('checks every value with one function for the codec and sdp.ts alike', () => {
    expect(valid({ type: 'uint', min: 1, max: 256 }, 0)).to.equal(false);
    expect(valid({ type: 'uint', min: 1, max: 256 }, 256)).to.equal(true);
    expect(valid({ type: 'address' }, 'fe80::1')).to.equal(true);
    expect(valid({ type: 'address' }, 'a b')).to.equal(false);
  });
});
