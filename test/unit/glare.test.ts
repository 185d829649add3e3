import { expect } from '@open-wc/testing';
import { OfferWaits, OwnAnnounce, RECENT_ANNOUNCE_MS, SIMULTANEOUS_MS, glareDecision } from '../../src/glare.js';

const now = 1_000_000;
const decide = (announcedAt: number, theirAnnounce: number) => glareDecision({ announcedAt, theirAnnounce, now });

describe('glare: who offers when two peers announce together', () => {
  it('of announces further apart than SIMULTANEOUS_MS, the earlier announcer offers and the later one waits', () => {
    const earlier = now - 200 - SIMULTANEOUS_MS;
    const later = now - 200;
    expect(decide(earlier, later), 'earlier').to.equal('offer');
    expect(decide(later, earlier), 'later').to.equal('wait');
  });

  it('of simultaneous announces both sides offer: either may have subscribed too late to hear the other', () => {
    for (const gap of [0, 1, 15, SIMULTANEOUS_MS - 1]) {
      const a = decide(now - 1000, now - 1000 + gap);
      const b = decide(now - 1000 + gap, now - 1000);
      expect([a, b], `gap ${gap} ms`).to.deep.equal(['offer', 'offer']);
    }
  });

  it('exactly one side offers for announces that can be ordered', () => {
    for (const gap of [SIMULTANEOUS_MS, SIMULTANEOUS_MS + 1, 2000]) {
      const a = decide(now - 2500, now - 2500 + gap);
      const b = decide(now - 2500 + gap, now - 2500);
      expect([a, b].filter((d) => d === 'offer'), `gap ${gap} ms`).to.have.length(1);
    }
  });

  it('a newcomer is called at once when our own announce is old or never happened', () => {
    expect(decide(now - RECENT_ANNOUNCE_MS, now - RECENT_ANNOUNCE_MS - 10 - SIMULTANEOUS_MS)).to.equal('offer');
    expect(decide(0, now - 10)).to.equal('offer');
  });

  it('with echoes in broker order, exactly one side of simultaneous announces offers: the one whose echo came first', () => {
    // Both announced at the same instant; the broker took A's first, so B got A's before its own echo.
    for (const gap of [0, 1, 15, SIMULTANEOUS_MS - 1, 2000]) {
      const a = glareDecision({ announcedAt: now - 1000, echoed: true, theirAnnounce: now - 1000 + gap, now });
      const b = glareDecision({ announcedAt: now - 1000 + gap, echoed: false, theirAnnounce: now - 1000, now });
      expect([a, b], `gap ${gap} ms`).to.deep.equal(['offer', 'wait']);
    }
    // Order wins over sender clocks that disagree with it.
    expect(glareDecision({ announcedAt: now - 2500, echoed: true, theirAnnounce: now - 2500 - 2 * SIMULTANEOUS_MS, now })).to.equal('offer');
    // An announce of ours the broker never echoed is not a reason to wait for ever: past RECENT_ANNOUNCE_MS we call.
    expect(glareDecision({ announcedAt: now - RECENT_ANNOUNCE_MS, echoed: false, theirAnnounce: now - 10, now })).to.equal('offer');
  });

  it('OwnAnnounce: echoed only after an announce on an ordering driver, and a new announce waits for its own echo', () => {
    const own = new OwnAnnounce();
    expect(own.view()).to.deep.equal({ announcedAt: 0, echoed: undefined });
    own.echoed(); // an echo with no announce of ours: nothing
    expect(own.view().echoed).to.equal(undefined);
    own.sent(false);
    own.echoed();
    expect(own.view().echoed, 'a driver without ordered echoes keeps the time rule').to.equal(undefined);
    own.sent(true);
    expect(own.view().echoed).to.equal(false);
    expect(own.view().announcedAt).to.be.closeTo(Date.now(), 1000);
    own.echoed();
    expect(own.view().echoed).to.equal(true);
    own.sent(true);
    expect(own.view().echoed, 'a re-announce').to.equal(false);
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
