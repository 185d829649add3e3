import { expect } from '@open-wc/testing';
import { OfferWaits, RECENT_ANNOUNCE_MS, glareDecision } from '../../src/glare.js';

const now = 1_000_000;
const decide = (me: string, them: string, announcedAt: number, theirAnnounce: number) =>
  glareDecision({ localId: me, remoteId: them, announcedAt, theirAnnounce, now });

describe('glare: who offers when two peers announce together', () => {
  it('the earlier announcer offers and the later one waits, whichever id is greater', () => {
    for (const [a, b] of [['a', 'b'], ['b', 'a']]) {
      // a announced at now-100, b at now-50: each sees the other's announce.
      expect(decide(a, b, now - 100, now - 50), `${a} (earlier)`).to.equal('offer');
      expect(decide(b, a, now - 50, now - 100), `${b} (later)`).to.equal('wait');
    }
  });

  it('exactly one side offers for any pair of announce times (ties broken by id)', () => {
    for (const [ta, tb] of [[0, 1], [5, 5], [7, 3]]) {
      const a = decide('a', 'b', now - 100 + ta, now - 100 + tb);
      const b = decide('b', 'a', now - 100 + tb, now - 100 + ta);
      expect([a, b].filter((d) => d === 'offer'), `times ${ta}/${tb}`).to.have.length(1);
    }
  });

  it('a newcomer is called at once when our own announce is old or never happened', () => {
    expect(decide('b', 'a', now - RECENT_ANNOUNCE_MS, now - RECENT_ANNOUNCE_MS - 10)).to.equal('offer');
    expect(decide('b', 'a', 0, now - 10)).to.equal('offer');
  });

  it('a wait ends without an offer when the other side connected, or when a newer wait replaces it; with an offer after the fallback', async () => {
    const waits = new OfferWaits();
    const settled = waits.wait('x', 10_000);
    waits.settle('x');
    expect(await settled.done).to.equal(false);
    const first = waits.wait('y', 10_000);
    const second = waits.wait('y', 20);
    expect(await first.done).to.equal(false);
    expect(await second.done).to.equal(true);
    const cleared = waits.wait('z', 10_000);
    waits.clear();
    expect(await cleared.done).to.equal(false);
  });
});
