import { expect, fixture, html } from '@open-wc/testing';
import type { PeerixConference, PeerixRoom } from '../../elements/index.js';
import { loadElements, uniqueRoom, until } from './helpers.js';

describe('<peerix-conference>', () => {
  before(async () => {
    await loadElements();
  });

  it('composes room, media, videos, screen share and chat; forwards attributes; leave/join', async () => {
    const room = uniqueRoom('conf');
    const el = await fixture<PeerixConference>(html`<peerix-conference driver="memory" room=${room} name="Zoe" secret="s3"></peerix-conference>`);
    const inner = el.roomElement as PeerixRoom;
    expect(inner.getAttribute('room')).to.equal(room);
    expect(inner.getAttribute('name')).to.equal('Zoe');
    expect(inner.secret).to.equal('s3');
    await until(() => el.state === 'joined', 'joined');
    expect(el.getAttribute('state')).to.equal('joined');
    for (const tag of ['peerix-local-media', 'peerix-remote-videos', 'peerix-chat', 'peerix-screen-share']) {
      expect(el.shadowRoot!.querySelector(tag), tag).to.exist;
    }
    await until(() => el.shadowRoot!.querySelector('peerix-local-media')!.status === 'live', 'camera');
    await expect(el).to.be.accessible();
    const button = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="leave-button"]')!;
    expect(button.textContent!.trim()).to.equal('Leave');
    button.click();
    await until(() => el.state === 'ready', 'left');
    await el.updateComplete;
    expect(button.textContent!.trim()).to.equal('Join');
  });
});
