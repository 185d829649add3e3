// <peerix-conference> without a name: the pre-join screen; and the header's copy-invite-link button.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { PeerixConference, PeerixLocalMedia, PeerixRoom } from '../../elements/index.js';
import { connected, loadElements, uniqueRoom, until } from './helpers.js';

const $ = <T extends Element = HTMLElement>(el: PeerixConference, selector: string) => el.shadowRoot!.querySelector<T>(selector)!;

describe('<peerix-conference> pre-join and invite link', () => {
  before(async () => {
    await loadElements();
  });

  it('without a name: camera preview with device menus, a name field and Join; nothing joins before Join', async () => {
    const room = uniqueRoom('prejoin');
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <peerix-conference driver="memory" room=${room}></peerix-conference>
      <peerix-conference driver="memory" room=${room} name="Ben"></peerix-conference>
    </div>`);
    const [guest, ben] = [...wrapper.querySelectorAll<PeerixConference>('peerix-conference')];
    expect(guest.prejoin).to.equal(true);
    expect(guest.hasAttribute('prejoin')).to.equal(true);
    expect(ben.prejoin).to.equal(false);
    const media = $<PeerixLocalMedia>(guest, 'peerix-local-media');
    await until(() => media.status === 'live', 'camera preview');
    await until(() => ben.state === 'joined', 'Ben joined');
    // The preview is large, with its own mute/camera buttons and device menus; no call controls.
    expect(getComputedStyle(media.shadowRoot!.querySelector('[part="controls"]')!).display).to.equal('flex');
    expect(media.shadowRoot!.querySelectorAll('select').length).to.equal(2);
    expect(getComputedStyle($(guest, '[part="controls"]')).display).to.equal('none');
    expect(getComputedStyle($(guest, 'peerix-remote-videos')).display).to.equal('none');
    expect(guest.state).to.not.equal('joined');
    expect((guest.roomElement as PeerixRoom).manual).to.equal(true);
    await expect(guest).to.be.accessible();

    // Type a name and press Enter in the field: Join.
    const input = $<HTMLInputElement>(guest, '[part~="name-input"]');
    expect(input.labels?.[0]?.textContent).to.contain('Your name');
    input.focus();
    await sendKeys({ type: 'Dana' });
    await sendKeys({ press: 'Enter' });
    await until(() => guest.state === 'joined', 'joined after Join');
    await guest.updateComplete;
    expect(guest.prejoin).to.equal(false);
    expect(guest.roomElement!.getAttribute('name')).to.equal('Dana');
    expect($(guest, '[part="self-name"]').textContent).to.equal('You (Dana)');
    expect(guest.shadowRoot!.querySelector('[part~="name-input"]')).to.equal(null);
    expect(getComputedStyle(media.shadowRoot!.querySelector('[part="controls"]')!).display).to.equal('none');
    await connected([guest.roomElement as PeerixRoom, ben.roomElement as PeerixRoom]);
    // The same camera stream went on into the call: Ben sees Dana.
    const tiles = () => [...$(ben, 'peerix-remote-videos').shadowRoot!.querySelectorAll('figure [part="name"]')].map((n) => n.textContent);
    await until(() => tiles().includes('Dana'), 'Ben sees Dana');
  });

  it('Join with an empty name joins as the guest name shown as placeholder', async () => {
    const el = await fixture<PeerixConference>(html`<peerix-conference driver="memory" room=${uniqueRoom('guest')}></peerix-conference>`);
    const input = $<HTMLInputElement>(el, '[part~="name-input"]');
    expect(input.placeholder).to.match(/^Guest \d{4}$/);
    $<HTMLButtonElement>(el, '[part~="join-button"]').click();
    await until(() => el.state === 'joined', 'joined');
    expect(el.roomElement!.getAttribute('name')).to.equal(input.placeholder);
  });

  it('copy invite link: this page with ?room= and without ?name=, on the clipboard, announced', async () => {
    const room = uniqueRoom('invite');
    const el = await fixture<PeerixConference>(html`<peerix-conference driver="memory" room=${room} name="Zoe"></peerix-conference>`);
    const expected = new URL(location.href);
    expected.searchParams.set('room', room);
    expect(el.inviteLink).to.equal(expected.href);
    const button = $<HTMLButtonElement>(el, '[part~="copy-link"]');
    expect(button.getAttribute('aria-label')).to.equal('Copy invite link');
    button.focus();
    await sendKeys({ press: 'Enter' });
    const status = $(el, '[part="copy-status"]');
    await until(() => status.textContent !== '', 'copy status');
    expect(status.getAttribute('role')).to.equal('status');
    if (status.textContent === 'Link copied') {
      // Paste it back, as a user would.
      const field = document.createElement('input');
      document.body.append(field);
      field.focus();
      const modifier = navigator.platform.startsWith('Mac') ? 'Meta' : 'Control';
      await sendKeys({ down: modifier });
      await sendKeys({ press: 'v' });
      await sendKeys({ up: modifier });
      await until(() => field.value !== '', 'pasted');
      expect(field.value).to.equal(expected.href);
      field.remove();
    } else {
      // The browser refused the clipboard: the link is shown to copy by hand.
      expect(status.textContent).to.equal(expected.href);
    }
    el.inviteUrl = 'https://meet.example/standup';
    expect(el.inviteLink).to.equal('https://meet.example/standup');
  });
});
