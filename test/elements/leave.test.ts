// Regression (issue #16, point 8): leaving a call releases the camera and the
// microphone, and the stage says so with a way back in.
import { expect, fixture, html } from '@open-wc/testing';
import type { PeerixConference, PeerixLocalMedia, PeerixRoom } from '../../elements/index.js';
import { connected, loadElements, uniqueRoom, until } from './helpers.js';

describe('leaving a call', () => {
  before(async () => {
    await loadElements();
  });

  it('ends every local track, shows a left state on the stage, and Rejoin brings camera and call back', async () => {
    const room = uniqueRoom('leave');
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <peerix-conference driver="memory" room=${room} name="Ana"></peerix-conference>
      <peerix-conference driver="memory" room=${room} name="Ben"></peerix-conference>
    </div>`);
    const [ana, ben] = [...wrapper.querySelectorAll<PeerixConference>('peerix-conference')];
    const media = (c: PeerixConference) => c.shadowRoot!.querySelector<PeerixLocalMedia>('peerix-local-media')!;
    await until(() => media(ana).status === 'live' && media(ben).status === 'live', 'both cameras live');
    await connected([ana.roomElement as PeerixRoom, ben.roomElement as PeerixRoom]);
    const tracks = media(ana).stream!.getTracks();
    expect(tracks.length).to.be.greaterThan(0);
    expect(tracks.every((t) => t.readyState === 'live')).to.equal(true);

    ana.shadowRoot!.querySelector<HTMLButtonElement>('[part~="leave-button"]')!.click();
    await until(() => ana.state === 'ready', 'Ana left');
    await ana.updateComplete;
    expect(tracks.map((t) => `${t.kind}:${t.readyState}`)).to.deep.equal(tracks.map((t) => `${t.kind}:ended`));
    expect(media(ana).stream).to.equal(null);
    const stage = ana.shadowRoot!.querySelector('[part="stage"]')!;
    const left = stage.querySelector('[part~="left"]');
    expect(left, 'left state on the stage').to.exist;
    expect(left!.textContent).to.contain('You left the call.');
    expect(stage.querySelector('peerix-remote-videos')!.hasAttribute('hidden')).to.equal(true);
    expect(stage.textContent).not.to.contain('Waiting for others');
    await expect(ana).to.be.accessible();
    // The other side sees Ana go.
    await until(() => (ben.roomElement as PeerixRoom).connections.size === 0 || [...(ben.roomElement as PeerixRoom).connections.values()].every((c) => c.state === 'closed'), 'Ben sees Ana leave');

    const rejoin = left!.querySelector<HTMLButtonElement>('[part~="rejoin-button"]')!;
    expect(rejoin.textContent!.trim()).to.equal('Rejoin');
    rejoin.click();
    await until(() => ana.state === 'joined', 'Ana joined again');
    await until(() => media(ana).status === 'live', 'camera live again');
    expect(media(ana).stream!.getTracks().every((t) => t.readyState === 'live')).to.equal(true);
    await ana.updateComplete;
    expect(stage.querySelector('[part~="left"]')).to.equal(null);
    expect(stage.querySelector('peerix-remote-videos')!.hasAttribute('hidden')).to.equal(false);
    await connected([ana.roomElement as PeerixRoom, ben.roomElement as PeerixRoom]);
  });
});
