// The candidate batcher of one connection (src/remote/candidates.ts) on its own:
// debounce and flush of local candidates, the description's candidates skipped,
// the cap on remote candidates held before a remote description.
import { expect } from '@open-wc/testing';
import type { PeerixError } from '../../src/errors.js';
import { CandidateBatcher, MAX_PENDING_CANDIDATES, candidateKey, type CandidateHooks } from '../../src/remote/candidates.js';
import { until, wait } from './wait.js';


function host(port: number, extra = ''): RTCIceCandidate {
  return new RTCIceCandidate({ candidate: `candidate:${port} 1 udp 2122260223 192.0.2.1 ${port} typ host${extra}`, sdpMid: '0', sdpMLineIndex: 0 });
}

const portOf = (c: RTCIceCandidate): number => Number(c.candidate.split(' ')[5]);

/** Gathering state and `icecandidate` events, as a connection has them. */
class Gathering extends EventTarget {
  iceGatheringState: RTCIceGatheringState = 'gathering';
}

function batcher(overrides: Partial<CandidateHooks> = {}) {
  const sent: RTCIceCandidate[][] = [];
  const applied: RTCIceCandidateInit[] = [];
  const errors: PeerixError[] = [];
  const state = { remoteDescription: false, ignoring: false };
  const connection = new Gathering();
  const b = new CandidateBatcher({
    debounce: 30,
    peerId: 'remote',
    connection,
    send: (batch) => sent.push(batch),
    hasRemoteDescription: () => state.remoteDescription,
    apply: async (c) => void applied.push(c),
    ignoringOffer: () => state.ignoring,
    error: (e) => errors.push(e),
    ...overrides,
  });
  return { b, sent, applied, errors, state, connection };
}

describe('candidate batching (local)', () => {
  it('holds local candidates until there is somewhere to send them, then sends the burst as one batch', async () => {
    const { b, sent } = batcher();
    b.local(host(1000));
    b.local(host(1001));
    await wait(60);
    expect(sent).to.have.length(0); // no description out, no in-band channel: nowhere to go
    expect(b.queued).to.equal(2);
    b.startFlowing();
    b.local(host(1002));
    b.local(host(1003));
    await until(() => sent.length > 0, 'a batch');
    await wait(60);
    expect(sent).to.have.length(1);
    expect(sent[0]!.map((c) => portOf(c))).to.deep.equal([1000, 1001, 1002, 1003]);
    expect(b.queued).to.equal(0);
    b.dispose();
  });

  it('debounces: candidates within the debounce time share a batch; a later one gets its own', async () => {
    const { b, sent } = batcher({ debounce: 40 });
    b.startFlowing();
    b.local(host(2000));
    b.local(host(2001));
    await until(() => sent.length === 1, 'the first batch');
    b.local(host(2002));
    await until(() => sent.length === 2, 'the second batch');
    expect(sent.map((batch) => batch.map((c) => portOf(c)))).to.deep.equal([[2000, 2001], [2002]]);
    b.dispose();
  });

  it('flush() sends at once; an empty queue sends nothing; end-of-candidates (null) is not queued', () => {
    const { b, sent } = batcher();
    b.flush();
    expect(sent).to.have.length(0);
    b.local(null);
    b.local(host(3000));
    b.flush();
    expect(sent.map((batch) => batch.length)).to.deep.equal([1]);
    b.dispose();
  });

  it('skips candidates the description already carried, whatever extras the browser adds to their text', async () => {
    const { b, sent } = batcher();
    const inDescription = host(4000);
    b.local(host(4000, ' generation 0 ufrag abcd network-id 1'));
    b.local(host(4001));
    b.startFlowing([candidateKey(inDescription.candidate)]);
    b.schedule();
    await until(() => sent.length === 1, 'a batch');
    expect(sent[0]!.map((c) => portOf(c))).to.deep.equal([4001]);
    b.dispose();
  });

  it('after dispose, a scheduled batch never leaves', async () => {
    const { b, sent } = batcher();
    b.startFlowing();
    b.local(host(5000));
    b.dispose();
    await wait(80);
    expect(sent).to.have.length(0);
  });

  it('gathered() resolves when gathering completes, or once candidates stop coming', async () => {
    const { b, connection } = batcher({ debounce: 20 });
    let done = false;
    void b.gathered().then(() => (done = true));
    await wait(30);
    expect(done).to.equal(false); // no candidate yet, gathering not complete
    b.gatheringComplete();
    await until(() => done, 'gathered() after completion');

    let quiet = false;
    void b.gathered().then(() => (quiet = true));
    connection.dispatchEvent(new Event('icecandidate'));
    await until(() => quiet, 'gathered() after candidates went quiet');

    connection.iceGatheringState = 'complete';
    await b.gathered(); // already complete: at once
    b.dispose();
  });
});

describe('candidate batching (remote)', () => {
  it('keeps remote candidates until the remote description is set, then applies them in order', async () => {
    const { b, applied, state } = batcher();
    await b.remote({ candidate: 'a' });
    await b.remote({ candidate: 'b' });
    expect(applied).to.have.length(0);
    expect(b.pendingRemote).to.equal(2);
    state.remoteDescription = true;
    await b.flushRemote();
    expect(applied.map((c) => c.candidate)).to.deep.equal(['a', 'b']);
    expect(b.pendingRemote).to.equal(0);
    await b.remote({ candidate: 'c' }); // now applied at once
    expect(applied.map((c) => c.candidate)).to.deep.equal(['a', 'b', 'c']);
  });

  it(`holds at most ${MAX_PENDING_CANDIDATES} remote candidates: a flood before the description does not grow memory`, async () => {
    const { b, applied, state } = batcher();
    for (let i = 0; i < MAX_PENDING_CANDIDATES * 3; i++) await b.remote({ candidate: `c${i}` });
    expect(b.pendingRemote).to.equal(MAX_PENDING_CANDIDATES);
    state.remoteDescription = true;
    await b.flushRemote();
    expect(applied).to.have.length(MAX_PENDING_CANDIDATES);
    expect(applied[0]!.candidate).to.equal('c0');
  });

  it('a refused remote candidate is an ERR_CONNECTION error, except while a colliding offer is ignored', async () => {
    const refuse = async () => {
      throw new DOMException('bad candidate', 'OperationError');
    };
    const { b, errors, state } = batcher({ apply: refuse });
    state.remoteDescription = true;
    await b.remote({ candidate: 'x' });
    expect(errors.map((e) => [e.code, e.peerId])).to.deep.equal([['ERR_CONNECTION', 'remote']]);
    state.ignoring = true;
    await b.remote({ candidate: 'y' });
    expect(errors).to.have.length(1);
  });
});
