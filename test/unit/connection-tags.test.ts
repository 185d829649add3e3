import { expect } from '@open-wc/testing';
import { ConnectionTags } from '../../src/connection-tags.js';
import { fullTextDescription, type MessageOf } from '../../src/signaling/messages.js';

const offer = (from?: number, to?: number): MessageOf<'BrokerOffer'> => ({
  kind: 'BrokerOffer',
  description: fullTextDescription('offer', 'v=0'),
  ...(from === undefined ? {} : { from }),
  ...(to === undefined ? {} : { to }),
});
const candidates = (from?: number, to?: number): MessageOf<'BrokerCandidates'> => ({ kind: 'BrokerCandidates', candidates: [], ...(from ? { from } : {}), ...(to ? { to } : {}) });

describe('ConnectionTags', () => {
  it('tags count up per Peer, and stamp carries ours, then theirs once heard', () => {
    const tags = new ConnectionTags<object>();
    const first = {};
    const second = {};
    tags.assign(first);
    tags.assign(second);
    expect(tags.stamp(first, offer())).to.include({ from: 1 }).and.not.have.property('to');
    expect(tags.stamp(second, candidates())).to.include({ from: 2 }).and.not.have.property('to');
    expect(tags.place(second, offer(7))).to.equal('current');
    expect(tags.stamp(second, candidates())).to.include({ from: 2, to: 7 });
    expect(tags.stamp(second, { kind: 'BrokerLeave' }), 'a goodbye ends every connection: untagged').to.deep.equal({ kind: 'BrokerLeave' });
    expect(tags.stamp({}, offer()), 'a connection never assigned').to.not.have.property('from');
  });

  it('places messages of earlier connections (either side) as stale, and a later one of theirs as newer', () => {
    const tags = new ConnectionTags<object>();
    for (let i = 0; i < 4; i++) tags.assign({});
    const mine = {};
    tags.assign(mine); // tag 5
    expect(tags.place(mine, candidates(9, 5)), 'the first tag heard becomes theirs').to.equal('current');
    expect(tags.place(mine, candidates(9, 5))).to.equal('current');
    expect(tags.place(mine, candidates(9)), 'no `to` yet (sent before they heard ours)').to.equal('current');
    expect(tags.place(mine, offer(9, 4)), 'addressed to our earlier connection').to.equal('stale');
    expect(tags.place(mine, offer(8, 5)), 'from their earlier connection').to.equal('stale');
    expect(tags.place(mine, offer(8)), 'from their earlier connection, before it heard us').to.equal('stale');
    expect(tags.place(mine, offer(12)), 'they rebuilt their side').to.equal('newer');
    expect(tags.place(mine, offer(9, 5)), 'a newer message does not move the tag').to.equal('current');
    expect(tags.place(mine, offer()), 'untagged (a peer from before tags)').to.equal('current');
    expect(tags.place({}, offer(1)), 'a connection never assigned').to.equal('stale');
  });
});
