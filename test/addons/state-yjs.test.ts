// PeerixProvider: a Y.Doc synced between real peers in one page (MemoryDriver
// signaling, real data channels): sync steps, updates, awareness, late joiners, bad input.
import { expect } from '@open-wc/testing';
import * as Y from 'yjs';
import { MemoryDriver, Peer, PeerixError } from '../../src/index.js';
import { PeerixProvider } from '../../src/addons/yjs/index.js';
import { until } from '../engine/helpers.js';

const room = () => `yjs-${Math.random()}`;
const label = 'peerix-yjs';

interface Member {
  peer: Peer;
  doc: Y.Doc;
  provider: PeerixProvider;
  errors: PeerixError[];
}

function member(driver: MemoryDriver): Member {
  const peer = new Peer({ driver });
  const doc = new Y.Doc();
  const provider = new PeerixProvider(doc, peer);
  const m: Member = { peer, doc, provider, errors: [] };
  provider.on('error', ({ error }) => m.errors.push(error));
  return m;
}

const text = (m: Member): string => m.doc.getText('t').toString();
const open = (a: Peer, b: Peer): boolean => a.connections.get(b.id)?.channels.get(label)?.readyState === 'open';

describe('PeerixProvider (Yjs)', () => {
  let members: Member[] = [];
  afterEach(async () => {
    for (const m of members) m.provider.destroy();
    await Promise.all(members.map((m) => m.peer.leave()));
    members = [];
  });

  it('edits made before and after connecting reach every peer; both sides sync', async () => {
    const driver = new MemoryDriver();
    const r = room();
    const [a, b] = (members = [member(driver), member(driver)]);
    a!.doc.getText('t').insert(0, 'hello');
    b!.doc.getMap('m').set('x', 1);
    const synced: string[] = [];
    a!.provider.on('synced', () => synced.push('a'));
    b!.provider.on('synced', () => synced.push('b'));
    await Promise.all([a!.peer.join({ room: r }), b!.peer.join({ room: r })]);
    await until(() => synced.includes('a') && synced.includes('b'), 'both synced');
    expect(a!.provider.synced && b!.provider.synced).to.equal(true);
    expect(text(b!)).to.equal('hello');
    expect(a!.doc.getMap('m').get('x')).to.equal(1);
    b!.doc.getText('t').insert(5, ' world');
    await until(() => text(a!) === 'hello world', 'update at a');
    expect([...a!.errors, ...b!.errors]).to.deep.equal([]);
  });

  it('awareness: each peer sees the other\'s presence, and it goes when the other destroys its provider', async () => {
    const driver = new MemoryDriver();
    const r = room();
    const [a, b] = (members = [member(driver), member(driver)]);
    a!.provider.awareness.setLocalStateField('user', { name: 'Ana' });
    await Promise.all([a!.peer.join({ room: r }), b!.peer.join({ room: r })]);
    await until(() => (b!.provider.awareness.getStates().get(a!.doc.clientID) as { user?: { name: string } } | undefined)?.user?.name === 'Ana', 'Ana at b');
    b!.provider.awareness.setLocalStateField('cursor', 3);
    await until(() => (a!.provider.awareness.getStates().get(b!.doc.clientID) as { cursor?: number } | undefined)?.cursor === 3, 'cursor at a');
    a!.provider.destroy();
    await until(() => !b!.provider.awareness.getStates().has(a!.doc.clientID), 'Ana gone at b');
  });

  it('a provider made after the other side had opened its channel syncs both ways, with presence', async () => {
    const driver = new MemoryDriver();
    const r = room();
    const [a] = (members = [member(driver)]);
    a!.provider.awareness.setLocalStateField('user', { name: 'Ana' });
    a!.doc.getText('t').insert(0, 'from a');
    const peerB = new Peer({ driver });
    await Promise.all([a!.peer.join({ room: r }), peerB.join({ room: r })]);
    await until(() => open(peerB, a!.peer) && open(a!.peer, peerB), 'the channel open at b');
    const docB = new Y.Doc();
    docB.getMap('m').set('from', 'b');
    const providerB = new PeerixProvider(docB, peerB);
    members.push({ peer: peerB, doc: docB, provider: providerB, errors: [] });
    await until(() => docB.getText('t').toString() === 'from a' && a!.doc.getMap('m').get('from') === 'b', 'both ways');
    await until(() => providerB.awareness.getStates().has(a!.doc.clientID), 'Ana present at b');
  });

  it('a late joiner gets the whole document', async () => {
    const driver = new MemoryDriver();
    const r = room();
    const [a, b] = (members = [member(driver), member(driver)]);
    await Promise.all([a!.peer.join({ room: r }), b!.peer.join({ room: r })]);
    await until(() => open(a!.peer, b!.peer) && open(b!.peer, a!.peer), 'open');
    for (let i = 0; i < 100; i++) (i % 2 ? a : b)!.doc.getText('t').insert(0, `${i % 10}`);
    a!.doc.getText('t').delete(0, 10);
    await until(() => text(a!) === text(b!) && text(a!).length === 90, 'a and b agree');
    const late = member(driver);
    members.push(late);
    await late.peer.join({ room: r });
    await until(() => text(late) === text(a!), 'late joiner has it all');
  });

  it('hostile messages give error events, never an exception, and the document stays intact', async function () {
    this.timeout(120_000);
    const driver = new MemoryDriver();
    const r = room();
    const [a] = (members = [member(driver)]);
    const evil = new Peer({ driver });
    evil.open({ label });
    const uncaught: string[] = [];
    const onError = (event: ErrorEvent) => uncaught.push(event.message);
    window.addEventListener('error', onError);
    try {
      a!.doc.getText('t').insert(0, 'intact');
      await Promise.all([a!.peer.join({ room: r }), evil.join({ room: r })]);
      await until(() => open(evil, a!.peer), 'evil channel');
      const remote = evil.connections.get(a!.peer.id)!;
      let seed = 1;
      const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
      const frames: Array<string | Uint8Array> = ['text, not binary'];
      for (let i = 0; i < 1000; i++) {
        const bytes = new Uint8Array(1 + Math.floor(random() * 40)).map(() => Math.floor(random() * 256));
        // Mostly well-framed: a known message type with a garbage payload.
        if (i % 2) bytes[0] = Math.floor(random() * 2);
        if (i % 4 === 1) bytes[1] = Math.floor(random() * 3);
        frames.push(bytes);
      }
      for (const frame of frames) void remote.send(frame, { label });
      await until(() => a!.errors.length >= 200, 'errors reported');
      await new Promise((done) => setTimeout(done, 1500));
      expect(a!.errors.every((e) => e instanceof PeerixError)).to.equal(true);
      expect(text(a!)).to.equal('intact');
      expect(uncaught).to.deep.equal([]);
    } finally {
      window.removeEventListener('error', onError);
      await evil.leave();
    }
  });
});
