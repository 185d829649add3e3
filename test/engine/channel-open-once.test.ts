// Regression (issue #16, point 2): `channel:open` fires once per peer and
// label, whether the channel is opened before or after join, by either side.
import { expect } from '@open-wc/testing';
import { MemoryDriver, Peer } from '../../src/index.js';
import { formMesh, leaveAll, until } from './helpers.js';

describe('channel:open', () => {
  it('fires once per remote and label (before join, after join, from the other side)', async () => {
    const driver = new MemoryDriver();
    const peers = [new Peer({ driver }), new Peer({ driver }), new Peer({ driver })];
    const opened = peers.map(() => new Map<string, number>());
    const greetings = peers.map(() => new Map<string, number>());
    peers.forEach((peer, i) => {
      peer.on('channel:open', ({ remote, label }) => {
        const key = `${remote.id}/${label}`;
        opened[i].set(key, (opened[i].get(key) ?? 0) + 1);
        remote.send(`hello from ${i}`, { label });
      });
      peer.on('channel:message', ({ remote, label }) => {
        const key = `${remote.id}/${label}`;
        greetings[i].set(key, (greetings[i].get(key) ?? 0) + 1);
      });
      peer.open({ label: 'chat' }); // before join
    });
    await formMesh(peers, `open-once-${Math.random().toString(36).slice(2)}`);
    peers[0].open({ label: 'late' }); // after join, one side only
    const expected = (i: number) => peers.filter((_, j) => j !== i).flatMap((p) => (i === 0 || p === peers[0] ? [`${p.id}/chat`, `${p.id}/late`] : [`${p.id}/chat`]));
    await until(() => peers.every((_, i) => expected(i).every((k) => greetings[i].has(k))), 'every greeting');
    // Let a duplicate open event (the bug: one from us, one from the browser) arrive if it would.
    await new Promise((r) => setTimeout(r, 1000));
    peers.forEach((_, i) => {
      expect([...opened[i].entries()].sort(), `peer ${i} channel:open`).to.deep.equal(expected(i).sort().map((k) => [k, 1]));
      expect([...greetings[i].entries()].sort(), `peer ${i} greetings`).to.deep.equal(expected(i).sort().map((k) => [k, 1]));
    });
    await leaveAll(peers);
  });
});
