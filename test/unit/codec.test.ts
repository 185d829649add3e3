import { expect } from '@open-wc/testing';
import {
  MAX_BODY_BYTES,
  MAX_ITEMS,
  MAX_STRING_BYTES,
  Reader,
  Writer,
  decodeFrame,
  decodeMessage,
  encodeFrame,
  encodeMessage,
  ipFromBytes,
  ipToBytes,
  kindNumber,
} from '../../src/signaling/codec.js';
import { PeerixError } from '../../src/errors.js';
import { Kind, fullTextDescription } from '../../src/signaling/messages.js';
import type { CompactCandidate, CompactDescription, KindNumber, SignalMessage } from '../../src/signaling/messages.js';
import { base64urlDecode, base64urlEncode } from '../../src/signaling/encoding.js';

const fingerprint = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 5) & 255);

const candidates: CompactCandidate[] = [
  { foundation: '2395300328', component: 1, protocol: 'udp', priority: 2122260223, address: '198.18.0.1', port: 54321, type: 'host' },
  { foundation: '1', component: 2, protocol: 'tcp', priority: 1518280447, address: '2001:db8::1', port: 9, type: 'host', tcpType: 'active' },
  { foundation: 'a1b2', component: 1, protocol: 'udp', priority: 1686052607, address: '203.0.113.7', port: 61000, type: 'srflx', relatedAddress: '0.0.0.0', relatedPort: 0 },
  { foundation: '4', component: 1, protocol: 'udp', priority: 41885439, address: 'fe80::1:2:3:4', port: 3478, type: 'relay', relatedAddress: '2001:db8:0:0:1::1', relatedPort: 4000 },
  { foundation: '3', component: 1, protocol: 'udp', priority: 0xffffffff, address: '6a2f1f34-7b9c-4a51-9b44-7d1e2b1c0f00.local', port: 65535, type: 'prflx' },
  { foundation: '0', component: 256, protocol: 'tcp', priority: 0, address: '::ffff:1.2.3.4', port: 0, type: 'host', tcpType: 'so' },
];

const compact: CompactDescription = {
  type: 'offer',
  ufrag: 'Ab+/',
  pwd: 'abcdefghijklmnopqrstuvwx',
  fingerprint,
  setup: 'actpass',
  sessionId: '4611731400430051336',
  sessionVersion: 2,
  sctpPort: 5000,
  maxMessageSize: 262144,
  candidates,
};

const fullText = fullTextDescription('answer', 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n');

const nonAscii = 'Ωμέγα — 日本語 🎉 \u{10FFFF} \uFEFFbom';
const maxString = 'x'.repeat(MAX_STRING_BYTES);
const maxNonAscii = '€'.repeat(Math.floor(MAX_STRING_BYTES / 3)); // 3 UTF-8 bytes each

function roundTrip(msg: SignalMessage): SignalMessage {
  const decoded = decodeMessage(kindNumber(msg), encodeMessage(msg));
  expect(decoded).to.deep.equal(msg);
  expect(decodeFrame(encodeFrame(msg))).to.deep.equal(msg);
  return decoded;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(PeerixError);
    return (error as PeerixError).code;
  }
  throw new Error('expected a PeerixError');
}

const samples: SignalMessage[] = [
  { kind: 'Announce' },
  { kind: 'BrokerOffer', description: compact, metadata: '' },
  { kind: 'BrokerAnswer', description: compact, metadata: JSON.stringify({ name: nonAscii }) },
  { kind: 'BrokerAnswer', description: fullText, metadata: maxString },
  { kind: 'BrokerOffer', description: fullText, metadata: maxNonAscii },
  { kind: 'BrokerOffer', description: compact },
  { kind: 'BrokerOffer', description: { ...compact, sctpPort: 5001, maxMessageSize: 1073741823, endOfCandidates: true }, metadata: '{"name":"Ana"}' },
  { kind: 'BrokerOffer', description: { ...compact, sessionId: '18446744073709551615', sessionVersion: Number.MAX_SAFE_INTEGER } },
  { kind: 'BrokerOffer', description: { ...compact, sessionId: 'not-a-number', candidates: [] } },
  { kind: 'BrokerAnswer', description: { ...compact, type: 'answer', setup: 'active' } },
  { kind: 'BrokerAnswer', description: { ...compact, type: 'answer', setup: 'passive', candidates: Array.from({ length: MAX_ITEMS }, () => candidates[0]!) } },
  { kind: 'BrokerAnswer', description: fullText },
  { kind: 'BrokerCandidates', candidates: [] },
  { kind: 'BrokerCandidates', candidates, end: false },
  { kind: 'BrokerCandidates', candidates: [], end: true },
  { kind: 'BrokerLeave' },
  { kind: 'Description', type: 'offer', sdp: '' },
  { kind: 'Description', type: 'answer', sdp: 'v=0\r\n' + 'a=x\r\n'.repeat(6000) },
  { kind: 'Candidates', candidates: [] },
  {
    kind: 'Candidates',
    candidates: [
      { candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ host', sdpMid: '0', sdpMLineIndex: 0 },
      { candidate: '' },
      { candidate: 'candidate:2 1 udp 2 ::1 6 typ host', sdpMid: nonAscii },
      { candidate: 'x', sdpMLineIndex: 65535 },
    ],
  },
  { kind: 'ChannelOpen', label: '' },
  { kind: 'ChannelOpen', label: nonAscii, options: {} },
  { kind: 'ChannelOpen', label: 'chat', options: { ordered: false, maxRetransmits: 0, protocol: 'json' } },
  { kind: 'ChannelOpen', label: maxString, options: { ordered: true, maxPacketLifeTime: 65535 } },
  { kind: 'ChannelClose', label: 'chat' },
  { kind: 'ChannelClose', label: '' },
  { kind: 'Streams', streams: [] },
  { kind: 'Streams', streams: [{ id: '{abc}', label: 'camera', tracks: ['t1', 't2'] }, { id: 'x', label: '', tracks: [] }] },
  { kind: 'Streams', streams: Array.from({ length: MAX_ITEMS }, (_, i) => ({ id: `s${i}`, label: nonAscii, tracks: Array.from({ length: 3 }, (_, j) => `t${j}`) })) },
  { kind: 'Unshare', streamId: 's', tracks: [] },
  { kind: 'Unshare', streamId: '', tracks: Array.from({ length: MAX_ITEMS }, (_, i) => `track-${i}`) },
  { kind: 'Ping', time: 0 },
  { kind: 'Ping', time: 1732780000123 },
  { kind: 'Pong', time: Number.MAX_SAFE_INTEGER },
  { kind: 'Leave' },
  { kind: 'Negotiate', audio: 0, video: 0 },
  { kind: 'Negotiate', audio: 1, video: MAX_ITEMS },
  { kind: 'MediaRequest', label: 'camera', off: true },
  { kind: 'MediaRequest', label: nonAscii, maxHeight: 16384 },
  { kind: 'MediaRequest', label: '' },
];

describe('codec', () => {
  it('covers every message kind', () => {
    const kinds = new Set(samples.map((m) => m.kind));
    expect([...kinds].sort()).to.deep.equal(Object.keys(Kind).sort());
  });

  it('round-trips every sample (message body and in-band frame)', () => {
    for (const msg of samples) roundTrip(msg);
  });

  it('writes empty bodies for field-less messages and keeps the kind out of the body', () => {
    expect(encodeMessage({ kind: 'BrokerLeave' }).length).to.equal(0);
    expect(encodeMessage({ kind: 'Leave' }).length).to.equal(0);
    expect(Array.from(encodeFrame({ kind: 'Leave' }))).to.deep.equal([Kind.Leave]);
    expect(Array.from(encodeFrame({ kind: 'Ping', time: 300 }))).to.deep.equal([Kind.Ping, 0x08, 0xac, 0x02]);
  });

  it('encodes IPv4 as 4 bytes, IPv6 as 16 bytes and names as text', () => {
    const one = (address: string) =>
      encodeMessage({ kind: 'BrokerCandidates', candidates: [{ foundation: '1', component: 1, protocol: 'udp', priority: 1, address, port: 1, type: 'host' }] });
    const base = one('a').length - 1;
    expect(one('255.255.255.255').length - base).to.equal(4);
    expect(one('2001:db8:85a3:1234:5678:8a2e:370:7334').length - base).to.equal(16);
    const name = '6a2f1f34-7b9c-4a51-9b44-7d1e2b1c0f00.local';
    expect(one(name).length - base).to.equal(name.length);
    // Non-canonical IP text is kept exactly, as a string.
    for (const text of ['01.2.3.4', '2001:DB8::1', '2001:db8:0:0:0:0:0:1', '::ffff:1.2.3.4', '1::1:0:0:0:1', '1:0:0:0:0:0:0:0:0', '::1::', ':1::']) {
      expect(ipToBytes(text), text).to.equal(null);
    }
    for (const text of ['0.0.0.0', '::', '::1', '1::', 'fe80::1:2:3:4', '2001:db8::1:0:0:1', '1:2:3:4:5:6:7:8']) {
      expect(ipFromBytes(ipToBytes(text)!), text).to.equal(text);
    }
  });

  it('keeps a typical compact offer small', () => {
    const offer = encodeMessage({ kind: 'BrokerOffer', description: { ...compact, candidates: [candidates[0]!] } });
    expect(offer.length).to.be.below(110);
  });

  it('skips unknown fields of every skippable wire type', () => {
    const body = encodeMessage({ kind: 'ChannelOpen', label: 'chat', options: { ordered: true } });
    const w = new Writer();
    w.uint(99, 123456789)
      .string(100, 'future')
      .tag(101, 1).raw(new Uint8Array(8))
      .tag(102, 5).raw(new Uint8Array(4))
      .raw(body)
      .uint(0x1fffffff, 1);
    expect(decodeMessage(Kind.ChannelOpen, w.finish())).to.deep.equal({ kind: 'ChannelOpen', label: 'chat', options: { ordered: true } });
  });

  it('rejects wrong wire types, bad enums, ranges, UTF-8 and missing fields with ERR_DECODE', () => {
    const cases: [KindNumber, Uint8Array][] = [
      [Kind.ChannelClose, new Writer().uint(1, 5).finish()], // string field as varint
      [Kind.Ping, new Writer().string(1, 'x').finish()], // varint field as bytes
      [Kind.Ping, new Writer().finish()], // required time missing
      [Kind.Description, new Writer().uint(1, 3).string(2, '').finish()], // enum out of range
      [Kind.Description, new Writer().uint(1, 0).string(2, '').finish()], // enum zero
      [Kind.Description, new Writer().string(2, '').finish()], // type missing
      [Kind.BrokerCandidates, new Writer().uint(2, 2).finish()], // bool > 1
      [Kind.ChannelOpen, new Writer().message(2, (w) => w.uint(2, 65536)).finish()], // > uint16
      [Kind.ChannelClose, new Writer().bytes(1, new Uint8Array([0xc3, 0x28])).finish()], // invalid UTF-8
      [Kind.ChannelClose, new Writer().bytes(1, new Uint8Array([0xed, 0xa0, 0x80])).finish()], // surrogate
      [Kind.ChannelClose, new Uint8Array([0x0a, 0x05, 0x61])], // length past the end
      [Kind.ChannelClose, new Uint8Array([0x0b])], // wire type 3 (group)
      [Kind.ChannelClose, new Uint8Array([0x08])], // truncated varint
      [Kind.ChannelClose, new Uint8Array([0x00, 0x00])], // field number 0
      [Kind.Ping, new Uint8Array([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])], // 11-byte varint
      [Kind.Ping, new Uint8Array([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])], // > 2^53
      [Kind.BrokerOffer, new Writer().finish()], // description missing
      [Kind.BrokerOffer, new Writer().message(1, (w) => w.uint(1, 1).string(3, 'abcd')).finish()], // compact fields missing
      [Kind.BrokerOffer, new Writer().message(1, (w) => w.uint(1, 1).string(3, 'abcd').string(4, 'p').bytes(5, new Uint8Array(31)).uint(6, 1).uint(7, 1)).finish()], // short fingerprint
      [Kind.BrokerCandidates, new Writer().message(1, (w) => w.uint(1, 1).uint(5, 1).uint(8, 1)).finish()], // candidate without address
      [Kind.BrokerCandidates, new Writer().message(1, (w) => w.uint(1, 1).uint(5, 1).bytes(6, new Uint8Array(5)).uint(8, 1)).finish()], // 5-byte IP
      [Kind.BrokerCandidates, new Writer().message(1, (w) => w.uint(1, 1).uint(3, 0).uint(5, 1).bytes(6, new Uint8Array(4)).uint(8, 1)).finish()], // component 0
      [Kind.BrokerCandidates, new Writer().message(1, (w) => w.uint(1, 1).uint(5, 2 ** 32).bytes(6, new Uint8Array(4)).uint(8, 1)).finish()], // priority > uint32
      [Kind.BrokerCandidates, new Writer().message(1, (w) => w.uint(1, 1).uint(5, 1).bytes(6, new Uint8Array(4)).uint(8, 1).uint(9, 4)).finish()], // type enum
      [Kind.Unshare, new Writer().finish()], // stream id missing
      [Kind.Streams, new Writer().message(1, (w) => w.string(2, 'label')).finish()], // stream id missing
      [Kind.MediaRequest, new Writer().string(1, 'camera').uint(3, 0).finish()], // maxHeight 0
      [Kind.MediaRequest, new Writer().string(1, 'camera').uint(3, 16385).finish()], // maxHeight past the bound
    ];
    cases.forEach(([kind, body], i) => expect(codeOf(() => decodeMessage(kind, body)), `case ${i}`).to.equal('ERR_DECODE'));
    expect(codeOf(() => decodeMessage(99 as KindNumber, new Uint8Array(0)))).to.equal('ERR_DECODE');
    expect(codeOf(() => decodeFrame(new Uint8Array(0)))).to.equal('ERR_DECODE');
    expect(codeOf(() => decodeFrame(new Uint8Array([0])))).to.equal('ERR_DECODE');
  });

  it('enforces the caps with ERR_TOO_LARGE on both sides', () => {
    expect(codeOf(() => encodeMessage({ kind: 'BrokerAnswer', description: compact, metadata: maxString + 'x' }))).to.equal('ERR_TOO_LARGE');
    expect(codeOf(() => encodeMessage({ kind: 'BrokerCandidates', candidates: Array.from({ length: MAX_ITEMS + 1 }, () => candidates[0]!) }))).to.equal('ERR_TOO_LARGE');
    expect(codeOf(() => encodeMessage({ kind: 'Description', type: 'offer', sdp: 'x'.repeat(MAX_BODY_BYTES) }))).to.equal('ERR_TOO_LARGE');
    expect(codeOf(() => decodeMessage(Kind.BrokerLeave, new Uint8Array(MAX_BODY_BYTES + 1)))).to.equal('ERR_TOO_LARGE');
    const longString = new Writer().string(2, 'x'.repeat(MAX_STRING_BYTES + 1), MAX_BODY_BYTES).finish();
    expect(codeOf(() => decodeMessage(Kind.BrokerAnswer, longString))).to.equal('ERR_TOO_LARGE');
    const w = new Writer();
    for (let i = 0; i <= MAX_ITEMS; i++) w.string(2, 't');
    expect(codeOf(() => decodeMessage(Kind.Unshare, w.string(1, 's').finish()))).to.equal('ERR_TOO_LARGE');
  });

  it('refuses to encode out-of-range values with ERR_INVALID_ARGUMENT', () => {
    expect(codeOf(() => encodeMessage({ kind: 'Ping', time: -1 }))).to.equal('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => encodeMessage({ kind: 'Ping', time: Number.NaN }))).to.equal('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => encodeMessage({ kind: 'BrokerCandidates', candidates: [{ ...candidates[0]!, port: 65536 }] }))).to.equal('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => encodeMessage({ kind: 'BrokerOffer', description: { ...compact, fingerprint: new Uint8Array(20) } }))).to.equal('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => encodeMessage({ kind: 'Nope' } as unknown as SignalMessage))).to.equal('ERR_INVALID_ARGUMENT');
  });

  it('Writer and Reader agree on varints up to 2^53 − 1 and 2^64 − 1', () => {
    const values = [0, 1, 127, 128, 16383, 16384, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 49 + 7, Number.MAX_SAFE_INTEGER];
    const w = new Writer(1);
    for (const v of values) w.varint(v);
    w.varint64((1n << 64n) - 1n);
    const r = new Reader(w.finish());
    for (const v of values) expect(r.varint()).to.equal(v);
    expect(r.varint64()).to.equal((1n << 64n) - 1n);
    expect(r.done).to.equal(true);
  });
});

describe('base64url', () => {
  it('round-trips every length and byte value', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 13) & 255);
      const text = base64urlEncode(bytes);
      expect(text).to.match(/^[A-Za-z0-9_-]*$/);
      expect(Array.from(base64urlDecode(text))).to.deep.equal(Array.from(bytes));
    }
    expect(base64urlEncode(new Uint8Array([0xfb, 0xff, 0xbf]))).to.equal('-_-_');
  });

  it('is strict', () => {
    for (const bad of ['A', 'AB=', 'AB==', 'A+B/', 'AB C', 'AB\n', 'AF', 'AAB', 'é']) {
      expect(codeOf(() => base64urlDecode(bad)), bad).to.equal('ERR_DECODE');
    }
  });
});
