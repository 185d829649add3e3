import { expect } from '@open-wc/testing';
import { codeOf } from './expect-error.js';
import { createIdentity } from '../../src/signaling/crypto.js';
import { PairKeys, deriveRoomKeys } from '../../src/signaling/keys.js';
import { Envelopes } from '../../src/signaling/envelope.js';
import { broadcastNamespace, escapeRoom, peerNamespace, roomNamespace, unescapeRoom } from '../../src/signaling/namespace.js';


function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe('namespace', () => {
  it('hashes room names stably (values fixed by the protocol)', async () => {
    expect(await roomNamespace('standup', true)).to.equal('73s8nEhncXE24QAZVzLLXA');
    expect(await roomNamespace('Secret Room Ω', true)).to.equal('rnz6VVnw0BepDSaNZ0gWHg');
  });

  it('gives distinct hashed namespaces to distinct rooms', async () => {
    const rooms = ['a', 'b', 'A', 'a ', 'standup', 'Standup', 'room-1', 'room-2', 'Ω'];
    const namespaces = await Promise.all(rooms.map((r) => roomNamespace(r, true)));
    expect(new Set(namespaces).size).to.equal(rooms.length);
    for (const ns of namespaces) expect(ns).to.match(/^[A-Za-z0-9_-]{22}$/);
  });

  it('escapes to safe characters only, reversibly', async () => {
    const rooms = ['standup', 'a_b', '_', 'a/b#c+d', 'Secret Room Ω', '日本語 🎉', 'x'.repeat(300), '%41', '-_-', 'a.b:c*d>e'];
    for (const room of rooms) {
      const ns = await roomNamespace(room, false);
      expect(ns, room).to.match(/^[A-Za-z0-9_-]+$/);
      expect(unescapeRoom(ns)).to.equal(room);
    }
    expect(escapeRoom('a_b c')).to.equal('a_5Fb_20c');
    expect(escapeRoom('Ω')).to.equal('_CE_A9');
    expect(new Set(await Promise.all(['a_b', 'a b', 'a_5Fb'].map((r) => roomNamespace(r, false)))).size).to.equal(3);
  });

  it('rejects an empty room', async () => {
    expect(await codeOf(roomNamespace('', true))).to.equal('ERR_INVALID_ARGUMENT');
    expect(await codeOf(roomNamespace('', false))).to.equal('ERR_INVALID_ARGUMENT');
  });

  it('builds the room and peer namespace arrays', () => {
    expect(broadcastNamespace('ns')).to.deep.equal(['ns']);
    expect(peerNamespace('ns', 'peer')).to.deep.equal(['ns', 'peer']);
  });

  it('never shows the raw room name on the broker', async () => {
    const room = 'Secret Room Ω';
    const raw = new TextEncoder().encode(room);
    const ns = await roomNamespace(room, true);
    const [a, b] = await Promise.all([createIdentity(), createIdentity()]);
    const seen: Uint8Array[] = [new TextEncoder().encode([...broadcastNamespace(ns), ...peerNamespace(ns, b.id)].join(':'))];
    for (const encryption of [true, false]) {
      const envelopes = new Envelopes({
        identity: a, roomNamespace: ns, ...(await deriveRoomKeys(room).then((k) => ({ roomKey: k.roomKey, pairKeys: new PairKeys(a, k.pairSalt, 'AAAAAAAAAAA') }))),
        encryption, compression: true,
      });
      seen.push(await envelopes.seal({ kind: 'BrokerOffer', metadata: '{"name":"Ana"}', description: { type: 'offer', sdp: 'v=0\r\n' } as never }));
      seen.push(await envelopes.seal({ kind: 'BrokerLeave' }, b.id, 'AAAAAAAAAAA'));
      seen.push(await envelopes.seal({ kind: 'BrokerCandidates', candidates: [] }, b.id, 'AAAAAAAAAAA'));
    }
    for (const bytes of seen) expect(contains(bytes, raw)).to.equal(false);
    expect(contains(new TextEncoder().encode(`xx${room}xx`), raw)).to.equal(true); // the check itself works
  });
});
