import { expect } from '@open-wc/testing';
import { PeerixError } from '../../src/errors.js';
import { IncomingBudget, Reassembly } from '../../src/reassembly.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof PeerixError) return error.code;
    throw error;
  }
  throw new Error('expected a PeerixError');
}

const limits = { maxIncomingMessage: 1000, maxIncomingTransfers: 2 };

describe('reassembly of chunked messages', () => {
  it('assembles chunks in order and holds only what arrived', () => {
    const budget = new IncomingBudget(10_000);
    const r = new Reassembly(limits, budget);
    expect(r.start(1, 6, false, Uint8Array.of(1, 2))).to.deep.equal({ done: false, received: 2, total: 6 });
    expect(r.held).to.equal(2);
    expect(budget.used).to.equal(2);
    r.append(1, Uint8Array.of(3, 4));
    const done = r.append(1, Uint8Array.of(5, 6));
    expect(done.done).to.equal(true);
    expect(Array.from((done as { bytes: Uint8Array }).bytes)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(budget.used).to.equal(0);
    expect(budget.peak).to.equal(6);
  });

  it('announcing a huge message allocates nothing; past the caps it is ERR_LIMIT', () => {
    const budget = new IncomingBudget(10_000);
    const r = new Reassembly({ maxIncomingMessage: 2 ** 40, maxIncomingTransfers: 2 }, budget);
    r.start(1, 2 ** 39, false, new Uint8Array(4));
    expect(r.held).to.equal(4);
    const small = new Reassembly(limits, budget);
    expect(codeOf(() => small.start(2, 1001, false, new Uint8Array(0)))).to.equal('ERR_LIMIT');
    small.start(2, 10, false, new Uint8Array(0));
    small.start(3, 10, false, new Uint8Array(0));
    expect(codeOf(() => small.start(4, 10, false, new Uint8Array(0)))).to.equal('ERR_LIMIT');
    expect(codeOf(() => small.start(5, -1, false, new Uint8Array(0)))).to.equal('ERR_DECODE');
    expect(codeOf(() => small.start(5, 0.5, false, new Uint8Array(0)))).to.equal('ERR_DECODE');
  });

  it('one budget per peer across channels: past it the transfer is dropped and its bytes given back', () => {
    const budget = new IncomingBudget(100);
    const [c1, c2] = [new Reassembly(limits, budget), new Reassembly(limits, budget)];
    c1.start(1, 500, false, new Uint8Array(60));
    c2.start(1, 500, false, new Uint8Array(30));
    expect(codeOf(() => c2.append(1, new Uint8Array(20)))).to.equal('ERR_LIMIT');
    expect(budget.used).to.equal(60);
    expect(codeOf(() => c2.append(1, new Uint8Array(1)))).to.equal('ERR_DECODE'); // dropped: unknown now
    c1.clear();
    expect(budget.used).to.equal(0);
  });

  it('a chunk past the announced size or a repeated start drops the transfer', () => {
    const budget = new IncomingBudget(1000);
    const r = new Reassembly(limits, budget);
    r.start(7, 4, false, Uint8Array.of(1, 2, 3));
    expect(codeOf(() => r.append(7, Uint8Array.of(4, 5)))).to.equal('ERR_DECODE');
    expect(budget.used).to.equal(0);
    r.start(8, 4, false, Uint8Array.of(1));
    expect(codeOf(() => r.start(8, 4, false, Uint8Array.of(1)))).to.equal('ERR_DECODE');
    expect(budget.used).to.equal(0);
  });
});
