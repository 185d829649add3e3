import { expect } from '@open-wc/testing';
import { codeOf, failure } from './expect-error.js';
import { createIdentity } from '../../src/signaling/crypto.js';
import type { Identity } from '../../src/signaling/crypto.js';
import { base64urlEncode } from '../../src/signaling/encoding.js';
import { Envelopes, FLAG_COMPRESSED, HEADER_BYTES } from '../../src/signaling/envelope.js';
import { PairKeys, createSession, deriveRoomKeys } from '../../src/signaling/keys.js';
import { ReplayCache } from '../../src/signaling/replay.js';
import type { EnvelopeOptions } from '../../src/signaling/envelope.js';
import { Kind } from '../../src/signaling/messages.js';
import type { SignalMessage } from '../../src/signaling/messages.js';
import { roomNamespace } from '../../src/signaling/namespace.js';

const room = 'standup';
let a: Identity;
let b: Identity;
let c: Identity;
let ns: string;

/** Each identity's current session in these tests (one per identity unless a test makes another). */
const sessions = new Map<string, string>();
function s(identity: Identity): string {
  let session = sessions.get(identity.id);
  if (!session) sessions.set(identity.id, (session = base64urlEncode(createSession())));
  return session;
}

async function envelopes(
  identity: Identity,
  options: Partial<EnvelopeOptions> & { secret?: string; room?: string; session?: string } = {},
): Promise<Envelopes> {
  const roomName = options.room ?? room;
  const keys = await deriveRoomKeys(roomName, options.secret ?? '');
  return new Envelopes({
    identity,
    roomNamespace: options.roomNamespace ?? (await roomNamespace(roomName, true)),
    roomKey: options.roomKey ?? keys.roomKey,
    pairKeys: new PairKeys(identity, keys.pairSalt, options.session ?? s(identity)),
    encryption: true,
    compression: true,
    ...options,
  });
}

const hello: SignalMessage = { kind: 'Announce' };
const offer: SignalMessage = {
  kind: 'BrokerOffer',
  metadata: '{"name":"Ana"}',
  description: {
    type: 'offer', ufrag: 'W3nq', pwd: 'KXo8bX9PJ3rSxM8VfB1kCnQe', fingerprint: Uint8Array.from({ length: 32 }, (_, i) => i * 7),
    setup: 'actpass', sessionId: '4611731400430051336', sessionVersion: 2, sctpPort: 5000, maxMessageSize: 262144,
    candidates: [{ foundation: '2395300328', component: 1, protocol: 'udp', priority: 2122260223, address: '198.18.0.1', port: 54321, type: 'host' }],
  },
};

describe('envelope', () => {
  before(async () => {
    [a, b, c] = await Promise.all([createIdentity(), createIdentity(), createIdentity()]);
    ns = await roomNamespace(room, true);
  });

  it('opens a message sealed from A to B at B', async () => {
    const sealed = await (await envelopes(a)).seal(offer, b.id, s(b));
    const opened = await (await envelopes(b)).open(sealed, b.id);
    expect(opened.sender).to.equal(a.id);
    expect(opened.addressed).to.equal(true);
    expect(opened.message).to.deep.equal(offer);
  });

  it('opens broadcasts at every room member', async () => {
    const sealed = await (await envelopes(a)).seal(hello);
    for (const identity of [b, c]) {
      const opened = await (await envelopes(identity)).open(sealed);
      expect(opened).to.deep.include({ sender: a.id, session: s(a), message: hello, addressed: false });
    }
  });

  it('lays out the header as documented', async () => {
    const sealed = await (await envelopes(a)).seal(hello, b.id, s(b));
    expect(sealed[0]! >> 4).to.equal(2);
    expect(sealed[0]! & 0x0f).to.equal(0b101); // encrypted, addressed, not compressed (too small)
    expect(sealed[1]).to.equal(Kind.Announce);
    expect(Array.from(sealed.subarray(2, 35))).to.deep.equal(Array.from(a.publicKey));
    expect(base64urlEncode(sealed.subarray(35, 43))).to.equal(s(a));
    expect(HEADER_BYTES).to.equal(55);
    const other = await (await envelopes(a)).seal(hello, b.id, s(b));
    expect(Array.from(other.subarray(43, 55))).to.not.deep.equal(Array.from(sealed.subarray(43, 55)));
  });

  it('keeps a peer C of the same room out of a message from A to B', async () => {
    const sealed = await (await envelopes(a)).seal(offer, b.id, s(b));
    const atC = await envelopes(c);
    expect(await codeOf(atC.open(sealed, c.id))).to.equal('ERR_AUTH');
    expect(await codeOf(atC.open(sealed, b.id))).to.equal('ERR_AUTH');
  });

  for (const addressed of [true, false]) {
    it(`rejects a change to any byte of a sealed ${addressed ? 'direct message' : 'broadcast'}`, async () => {
      const sealed = await (await envelopes(a)).seal(offer, addressed ? b.id : undefined, s(b));
      const receiver = await envelopes(b);
      const to = addressed ? b.id : undefined;
      for (let i = 0; i < sealed.length; i++) {
        for (const bit of [0x01, 0x80]) {
          const tampered = sealed.slice();
          tampered[i]! ^= bit;
          await failure(receiver.open(tampered, to));
        }
      }
      expect((await receiver.open(sealed, to)).message).to.deep.equal(offer);
    });
  }

  it('rejects a changed sender id, recipient or kind', async () => {
    const sealed = await (await envelopes(a)).seal(offer, b.id, s(b));
    const atB = await envelopes(b);
    const otherSender = sealed.slice();
    otherSender.set(c.publicKey, 2);
    expect(await codeOf(atB.open(otherSender, b.id))).to.equal('ERR_AUTH');
    expect(await codeOf(atB.open(sealed, c.id))).to.equal('ERR_AUTH');
    const otherKind = sealed.slice();
    otherKind[1] = Kind.BrokerAnswer;
    expect(await codeOf(atB.open(otherKind, b.id))).to.equal('ERR_AUTH');
    const unknownKind = sealed.slice();
    unknownKind[1] = 99;
    expect(await codeOf(atB.open(unknownKind, b.id))).to.equal('ERR_DECODE');
    const badKey = sealed.slice();
    badKey[2] = 0x05;
    expect(await codeOf(atB.open(badKey, b.id))).to.equal('ERR_INVALID_ID');
    for (const v of [1, 3]) {
      const version = sealed.slice();
      version[0] = (v << 4) | (version[0]! & 0x0f);
      const error = await failure(atB.open(version, b.id));
      expect(error.code).to.equal('ERR_VERSION');
      expect(error.message).to.match(new RegExp(`v${v}.*v2`));
      expect(error.peerId).to.equal(a.id);
    }
    expect((await atB.open(sealed, b.id)).sender).to.equal(a.id);
  });

  it('refuses direct messages on the room namespace and broadcasts on a peer namespace', async () => {
    const sender = await envelopes(a);
    const atB = await envelopes(b);
    expect(await codeOf(atB.open(await sender.seal(offer, b.id, s(b))))).to.equal('ERR_UNEXPECTED');
    expect(await codeOf(atB.open(await sender.seal(hello), b.id))).to.equal('ERR_UNEXPECTED');
  });

  it('rejects replays', async () => {
    const sealed = await (await envelopes(a)).seal(hello);
    const atB = await envelopes(b);
    await atB.open(sealed);
    expect(await codeOf(atB.open(sealed))).to.equal('ERR_REPLAY');
    expect(await codeOf(atB.open(sealed.slice()))).to.equal('ERR_REPLAY');
  });

  it('rejects stale and future messages outside the freshness window', async () => {
    const atB = await envelopes(b, { freshnessMs: 60_000 });
    for (const skew of [-60_001, 61_000, -3_600_000]) {
      const sender = await envelopes(a, { now: () => Date.now() + skew });
      expect(await codeOf(atB.open(await sender.seal(hello))), String(skew)).to.equal('ERR_STALE');
    }
    const slightly = await envelopes(a, { now: () => Date.now() - 50_000 });
    expect((await atB.open(await slightly.seal(hello))).sender).to.equal(a.id);
  });

  it('opens room messages only with the same room and secret', async () => {
    const sender = await envelopes(a, { secret: 'pw' });
    const sealed = await sender.seal(hello);
    expect((await (await envelopes(b, { secret: 'pw' })).open(sealed)).sender).to.equal(a.id);
    const wrongSecret = await failure((await envelopes(b, { secret: 'nope' })).open(sealed));
    expect(wrongSecret.code).to.equal('ERR_AUTH');
    expect(wrongSecret.message).to.match(/wrong room secret/);
    expect(await codeOf((await envelopes(b)).open(sealed))).to.equal('ERR_AUTH');
    expect(await codeOf((await envelopes(b, { room: 'other', secret: 'pw' })).open(sealed))).to.equal('ERR_AUTH');
    // Same key, another namespace (AAD): refused too.
    expect(await codeOf((await envelopes(b, { secret: 'pw', roomNamespace: 'elsewhere' })).open(sealed))).to.equal('ERR_AUTH');
    // Direct messages are bound to the room through the pair key's salt.
    const direct = await sender.seal(hello, b.id, s(b));
    expect(await codeOf((await envelopes(b, { room: 'other', secret: 'pw' })).open(direct, b.id))).to.equal('ERR_AUTH');
  });

  it('with encryption off, accepts unsealed messages but still checks freshness and replay', async () => {
    const sender = await envelopes(a, { encryption: false });
    const receiver = await envelopes(b, { encryption: false });
    const sealed = await sender.seal(offer, b.id, s(b));
    expect(sealed[0]! & 1).to.equal(0);
    expect((await receiver.open(sealed, b.id)).message).to.deep.equal(offer);
    expect(await codeOf(receiver.open(sealed, b.id))).to.equal('ERR_REPLAY');
    const old = await envelopes(a, { encryption: false, now: () => Date.now() - 120_000 });
    expect(await codeOf(receiver.open(await old.seal(hello)))).to.equal('ERR_STALE');
    // An encrypted room refuses plain messages.
    expect(await codeOf((await envelopes(b)).open(await sender.seal(hello)))).to.equal('ERR_AUTH');
  });

  it('compresses when it pays and opens compressed messages', async () => {
    const big: SignalMessage = { ...(offer as Extract<SignalMessage, { kind: 'BrokerOffer' }>), metadata: JSON.stringify({ name: 'Ana', bio: 'lorem ipsum '.repeat(100) }) };
    const sealed = await (await envelopes(a)).seal(big);
    expect(sealed[0]! & FLAG_COMPRESSED).to.equal(FLAG_COMPRESSED);
    expect(sealed.length).to.be.below(300);
    expect((await (await envelopes(b)).open(sealed)).message).to.deep.equal(big);
    const plain = await (await envelopes(a, { compression: false })).seal(big);
    expect(plain[0]! & FLAG_COMPRESSED).to.equal(0);
    expect((await (await envelopes(b)).open(plain)).message).to.deep.equal(big);
  });

  it('rejects oversize and truncated envelopes', async () => {
    const atB = await envelopes(b);
    expect(await codeOf(atB.open(new Uint8Array(65537)))).to.equal('ERR_TOO_LARGE');
    expect(await codeOf(atB.open(Uint8Array.of(0x21, ...new Uint8Array(HEADER_BYTES - 1))))).to.equal('ERR_DECODE');
    expect(await codeOf(atB.open(new Uint8Array(HEADER_BYTES)))).to.equal('ERR_VERSION');
    expect(await codeOf(atB.open('nope' as unknown as Uint8Array))).to.equal('ERR_DECODE');
    const huge: SignalMessage = { kind: 'Description', type: 'offer', sdp: 'x'.repeat(65500) };
    expect(await codeOf((await envelopes(a, { compression: false })).seal(huge))).to.equal('ERR_TOO_LARGE');
    expect(await codeOf((await envelopes(a)).seal(hello, 'not-a-peer'))).to.equal('ERR_INVALID_ID');
  });

  it('bounds the replay memory and prunes expired entries', async () => {
    let now = Date.now();
    const clock = () => now;
    const sender = await envelopes(a, { now: clock });
    const atB = await envelopes(b, { now: clock, replayBound: 8, freshnessMs: 1000 });
    for (let i = 0; i < 20; i++) await atB.open(await sender.seal(hello));
    expect(atB.replayEntries).to.equal(8);
    now += 5000;
    await atB.open(await sender.seal(hello));
    expect(atB.replayEntries).to.equal(1);
  });

  it('keeps a two-peer setup (two announces, offer, answer) under 600 bytes', async () => {
    const answer: SignalMessage = {
      kind: 'BrokerAnswer',
      metadata: '{"name":"Bob"}',
      description: { ...(offer as Extract<SignalMessage, { kind: 'BrokerOffer' }>).description, type: 'answer', setup: 'active' },
    };
    const sender = await envelopes(a);
    const receiver = await envelopes(b);
    const total = [
      (await receiver.seal({ kind: 'Announce' })).length,
      (await sender.seal({ kind: 'Announce' })).length,
      (await receiver.seal(offer, a.id, s(a))).length,
      (await sender.seal(answer, b.id, s(b))).length,
    ].reduce((x, y) => x + y);
    console.log(`two-peer setup: ${total} bytes`);
    expect(total).to.be.at.most(600);
  });

  it('opens a pair message only in the sessions it was sealed for', async () => {
    const sealed = await (await envelopes(a)).seal(offer, b.id, s(b));
    // B rejoined: a new session, a new pair key.
    expect(await codeOf((await envelopes(b, { session: base64urlEncode(createSession()) })).open(sealed, b.id))).to.equal('ERR_AUTH');
    // A's session in the header was swapped: the key differs (and the AAD covers the header).
    const swapped = sealed.slice();
    swapped.set(createSession(), 35);
    expect(await codeOf((await envelopes(b)).open(swapped, b.id))).to.equal('ERR_AUTH');
    expect((await (await envelopes(b)).open(sealed, b.id)).session).to.equal(s(a));
  });

  it('needs the room secret for pair messages, not only for broadcasts', async () => {
    const sealed = await (await envelopes(a, { secret: 'pw' })).seal(offer, b.id, s(b));
    expect(await codeOf((await envelopes(b)).open(sealed, b.id))).to.equal('ERR_AUTH');
    expect(await codeOf((await envelopes(b, { secret: 'pw2' })).open(sealed, b.id))).to.equal('ERR_AUTH');
    expect((await (await envelopes(b, { secret: 'pw' })).open(sealed, b.id)).sender).to.equal(a.id);
  });

  it('warmKey derives the pair key ahead (the seal that follows reuses it); a bad id or encryption off derives nothing', async () => {
    const keys = await deriveRoomKeys(room, '');
    const pairKeys = new PairKeys(a, keys.pairSalt, s(a));
    const sender = await envelopes(a, { pairKeys, roomKey: keys.roomKey });
    sender.warmKey(b.id, s(b));
    sender.warmKey('not-a-peer-id', s(b)); // must not surface as an unhandled rejection
    // Nothing else asks for the key: only warmKey can fill the cache.
    for (let i = 0; i < 100 && pairKeys.size === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pairKeys.size).to.equal(1);
    const warmed = pairKeys.get(b.id, s(b));
    const sealed = await sender.seal(offer, b.id, s(b));
    expect(pairKeys.size).to.equal(1);
    expect(pairKeys.get(b.id, s(b))).to.equal(warmed);
    expect((await (await envelopes(b)).open(sealed, b.id)).sender).to.equal(a.id);
    const plainKeys = new PairKeys(a, keys.pairSalt, s(a));
    (await envelopes(a, { pairKeys: plainKeys, encryption: false })).warmKey(b.id, s(b));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(plainKeys.size).to.equal(0);
  });

  it('keeps replay memory across sessions of one identity', async () => {
    const replay = new ReplayCache();
    const sealed = await (await envelopes(a)).seal(hello);
    await (await envelopes(b, { replay, session: base64urlEncode(createSession()) })).open(sealed);
    expect(await codeOf((await envelopes(b, { replay, session: base64urlEncode(createSession()) })).open(sealed))).to.equal('ERR_REPLAY');
  });
});
