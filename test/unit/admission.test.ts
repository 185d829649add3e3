import { expect } from '@open-wc/testing';
import { Admission, type AdmissionOptions } from '../../src/admission.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function admission(options: Partial<AdmissionOptions> = {}, clock = { now: 0 }): Admission {
  return new Admission({ max: 2, minAgeMs: 1000, answerTimeoutMs: 60_000, waitMs: 60_000, perSender: 3, perSenderWindowMs: 10_000, now: () => clock.now, ...options });
}

describe('admission (setup bounds)', () => {
  it('grants up to max at once; the next waits until a slot is given back', async () => {
    const a = admission();
    const [s1, s2] = [await a.acquire('a'), await a.acquire('b')];
    expect(a.size).to.equal(2);
    let third: unknown = 'pending';
    void a.acquire('c').then((s) => (third = s));
    await wait(10);
    expect(third).to.equal('pending');
    expect(a.waiting).to.equal(1);
    s1!.release();
    await wait(0);
    expect((third as { id: string }).id).to.equal('c');
    expect(a.size).to.equal(2);
    s2!.release();
  });

  it('when full, evicts the oldest setup once it is old enough, for the newest request first', async () => {
    const clock = { now: 0 };
    const a = admission({ minAgeMs: 30 }, clock);
    const evicted: string[] = [];
    const s1 = (await a.acquire('old'))!;
    s1.onEvict((reason) => evicted.push(`old:${reason}`));
    clock.now = 10;
    (await a.acquire('young'))!.onEvict(() => evicted.push('young'));
    const granted: string[] = [];
    void a.acquire('first').then((s) => s && granted.push(s.id));
    void a.acquire('newest').then((s) => s && granted.push(s.id));
    await wait(5);
    expect(evicted).to.deep.equal([]); // nobody is 30 ms old yet
    clock.now = 35;
    await wait(40); // the wake-up timer fires
    expect(evicted).to.deep.equal(['old:crowded']);
    expect(granted[0]).to.equal('newest');
    expect(s1.held).to.equal(false);
    a.clear();
  });

  it('refuses a waiter after waitMs, and the oldest waiter when more than max wait', async () => {
    const a = admission({ max: 1, waitMs: 20 });
    await a.acquire('holder');
    const results: unknown[] = [];
    for (const id of ['w1', 'w2', 'w3']) void a.acquire(id).then((s) => results.push(s ? s.id : `${id}:refused`));
    await wait(5);
    expect(results).to.deep.equal(['w1:refused', 'w2:refused']); // only one may wait (max 1)
    await wait(40);
    expect(results).to.deep.equal(['w1:refused', 'w2:refused', 'w3:refused']);
  });

  it('an offer without an answer gives its slot back; an answered one keeps it', async () => {
    const a = admission({ answerTimeoutMs: 20 });
    const reasons: string[] = [];
    const unanswered = (await a.acquire('x'))!;
    unanswered.onEvict((r) => reasons.push(r));
    unanswered.awaitAnswer();
    const answered = (await a.acquire('y'))!;
    answered.awaitAnswer();
    answered.answered();
    await wait(50);
    expect(reasons).to.deep.equal(['no-answer']);
    expect(unanswered.held).to.equal(false);
    expect(answered.held).to.equal(true);
  });

  it('rate-limits setups per sender; a setup that connects does not count', async () => {
    const a = admission({ max: 10, perSender: 2 });
    expect(a.allowSender('s')).to.equal(true);
    const slot = (await a.acquire('s'))!;
    expect(a.allowSender('s')).to.equal(true);
    expect(a.allowSender('s')).to.equal(false);
    expect(a.allowSender('other')).to.equal(true);
    slot.connected();
    expect(a.allowSender('s')).to.equal(true);
  });
});
