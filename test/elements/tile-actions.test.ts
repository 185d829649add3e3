// Per-tile fullscreen and picture-in-picture in <peerix-remote-videos>, pressed from the keyboard.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import type { PeerixRemoteVideos, PeerixRoom } from '../../elements/index.js';
import { connected, loadElements, uniqueRoom, until } from './helpers.js';

describe('<peerix-remote-videos> tile actions', () => {
  before(async () => {
    await loadElements();
  });

  after(async () => {
    // Never leave a floating window behind for the next suites (it would take the keyboard).
    if (document.pictureInPictureElement) await document.exitPictureInPicture();
    if (document.fullscreenElement) await document.exitFullscreen();
    // Firefox leaves the keyboard with the closed floating window: a click gives it back to the page.
    window.focus();
    await sendMouse({ type: 'click', position: [1, 1] });
  });

  it('fullscreen and picture-in-picture per tile, named after the tile, from the keyboard', async function () {
    this.timeout(60000);
    const room = uniqueRoom('tile');
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <peerix-room driver="memory" room=${room} name="Ana"><peerix-remote-videos></peerix-remote-videos></peerix-room>
      <peerix-room driver="memory" room=${room} name="Ben"><peerix-local-media></peerix-local-media></peerix-room>
    </div>`);
    const rooms = [...wrapper.querySelectorAll<PeerixRoom>('peerix-room')];
    await connected(rooms);
    const videos = wrapper.querySelector<PeerixRemoteVideos>('peerix-remote-videos')!;
    const root = videos.shadowRoot!;
    await until(() => root.querySelector('figure video') && (root.querySelector('figure video') as HTMLVideoElement).videoWidth > 0, 'Ben plays at Ana');
    const figure = root.querySelector<HTMLElement>('figure')!;
    const button = (part: string) => root.querySelector<HTMLButtonElement>(`button[part~="${part}"]`);

    const full = button('fullscreen-button')!;
    expect(full.getAttribute('aria-label')).to.equal('Fullscreen: Ben');
    expect(full.title).to.equal('Fullscreen');
    // With a mouse: hidden until the tile is hovered or a button in it has focus (on touch screens, always shown).
    const opacity = () => getComputedStyle(root.querySelector('[part="tile-actions"]')!).opacity;
    expect(opacity()).to.equal(matchMedia('(hover: hover)').matches ? '0' : '1');
    full.focus();
    await until(() => opacity() === '1', 'actions shown on focus');
    await sendKeys({ press: 'Enter' });
    await until(() => root.fullscreenElement === figure, 'tile fullscreen');
    await until(() => full.getAttribute('aria-label') === 'Exit fullscreen: Ben', 'label: Exit fullscreen: Ben');
    await sendKeys({ press: 'Enter' });
    await until(() => !document.fullscreenElement, 'fullscreen left');
    await until(() => full.getAttribute('aria-label') === 'Fullscreen: Ben', 'label: Fullscreen: Ben');

    const pip = button('pip-button');
    if (!document.pictureInPictureEnabled) {
      // A browser without the picture-in-picture API for pages: no button.
      expect(pip).to.equal(null);
    } else {
      expect(pip!.getAttribute('aria-label')).to.equal('Picture in picture: Ben');
      pip!.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => root.pictureInPictureElement === figure.querySelector('video'), 'video floats');
      await until(() => pip!.getAttribute('aria-label') === 'Exit picture in picture: Ben', 'label: Exit picture in picture: Ben');
      // The floating window takes the keyboard in Firefox: back with the mouse, as a user would.
      const box = pip!.getBoundingClientRect();
      await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
      await until(() => !document.pictureInPictureElement, 'video back');
      await until(() => pip!.getAttribute('aria-label') === 'Picture in picture: Ben', 'label: Picture in picture: Ben');
    }
    await expect(videos).to.be.accessible();
  });
});
