import { expect } from '@open-wc/testing';
import { RateWindow } from '../../src/rate-window.js';

describe('RateWindow', () => {
  it('allows `max` events per id in the window, then again once the oldest falls out', () => {
    let now = 1000;
    const window = new RateWindow(2, 100, 10, () => now);
    expect(window.take('a')).to.equal(true);
    now += 40;
    expect(window.take('a')).to.equal(true);
    expect(window.take('a'), 'third inside the window').to.equal(false);
    expect(window.take('b'), 'other ids are counted apart').to.equal(true);
    now += 61; // the first event is 101 ms old
    expect(window.take('a')).to.equal(true);
    expect(window.take('a')).to.equal(false);
  });

  it('a refund gives the last event back, and clear forgets everything', () => {
    const window = new RateWindow(1, 1000, 10, () => 0);
    expect(window.take('a')).to.equal(true);
    window.refund('a');
    expect(window.take('a')).to.equal(true);
    expect(window.take('a')).to.equal(false);
    window.clear();
    expect(window.take('a')).to.equal(true);
  });

  it('tracks at most `maxIds` ids, forgetting the least recently active (refused ones too)', () => {
    const window = new RateWindow(0, 1000, 3, () => 0);
    for (let i = 0; i < 50; i++) expect(window.take(`id${i}`)).to.equal(false);
    const full = new RateWindow(1, 1000, 2, () => 0);
    full.take('a');
    full.take('b');
    full.take('a'); // refused, but 'a' is now the most recent
    full.take('c'); // 'b' is forgotten
    expect(full.take('b'), 'forgotten, so allowed again').to.equal(true);
    expect(full.take('c')).to.equal(false);
  });
});
