import { expect } from '@open-wc/testing';
import { MemoryDriver, type Peer } from '../../src/index.js';
import { formMesh, leaveAll, makePeers, until } from './helpers.js';

describe('mesh', () => {
  for (const n of [2, 4, 6]) {
    it(`${n} peers form a full mesh and exchange messages on two labels, in order`, async function () {
      this.timeout(60000);
      const peers = makePeers(n, new MemoryDriver());
      const received = new Map<Peer, string[]>();
      for (const p of peers) {
        received.set(p, []);
        p.open({ label: 'a' });
        p.open({ label: 'b' });
        p.on('channel:message', ({ remote, label, data }) => received.get(p)!.push(`${remote.id}|${label}|${String(data)}`));
      }
      await formMesh(peers, `mesh-${n}-${Math.random()}`);
      // every channel open on every connection
      await until(() => peers.every((p) => [...p.connections.values()].every((r) => ['a', 'b'].every((l) => r.channels.get(l)?.readyState === 'open'))), 'channels open');
      for (const p of peers) {
        for (let i = 0; i < 5; i++) {
          void p.send(`m${i}`, { label: 'a' });
          void p.send(`n${i}`, { label: 'b' });
        }
      }
      const expected = (n - 1) * 10;
      await until(() => peers.every((p) => received.get(p)!.length === expected), 'all messages');
      for (const p of peers) {
        const got = received.get(p)!;
        for (const sender of peers) {
          if (sender === p) continue;
          for (const label of ['a', 'b']) {
            const prefix = label === 'a' ? 'm' : 'n';
            const seq = got.filter((g) => g.startsWith(`${sender.id}|${label}|`)).map((g) => g.split('|')[2]);
            expect(seq).to.deep.equal([0, 1, 2, 3, 4].map((i) => `${prefix}${i}`));
          }
        }
        expect(p.connections.size).to.equal(n - 1);
      }
      await leaveAll(peers);
    });
  }
});
