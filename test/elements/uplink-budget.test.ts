import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { ErrorDetail, PeerixRoom } from '../../elements/index.js';
import { loadElements, uniqueRoom, until } from './helpers.js';

describe('<peerix-room uplink-budget>', () => {
  before(async () => {
    await loadElements();
  });

  it('passes the budget to its peer, follows changes, and reports a bad value', async () => {
    const el = await fixture<PeerixRoom>(html`<peerix-room driver="memory" room=${uniqueRoom('budget')} uplink-budget="800000"></peerix-room>`);
    await until(() => el.peer, 'a peer');
    expect(el.peer!.uplinkBudget).to.equal(800_000);
    el.setAttribute('uplink-budget', '0');
    await el.updateComplete;
    expect(el.peer!.uplinkBudget).to.equal(0);
    const error = oneEvent(el, 'peerix-error');
    el.setAttribute('uplink-budget', 'lots');
    const detail = ((await error) as CustomEvent<ErrorDetail>).detail;
    expect((detail.error as { code?: string }).code).to.equal('ERR_INVALID_ARGUMENT');
    expect(el.peer!.uplinkBudget).to.equal(0);
  });

  it('without the attribute the peer keeps the engine default', async () => {
    const el = await fixture<PeerixRoom>(html`<peerix-room driver="memory" room=${uniqueRoom('budget')}></peerix-room>`);
    await until(() => el.peer, 'a peer');
    expect(el.peer!.uplinkBudget).to.equal(3_000_000);
  });
});
