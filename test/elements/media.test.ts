import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { MemoryDriver, Peer } from '../../src/index.js';
import type { PeerixLocalMedia, PeerixRemoteVideos, PeerixRoom, PeerixScreenShare, MediaChangeDetail } from '../../elements/index.js';
import { anaToBen, connected, loadElements, uniqueRoom, until } from './helpers.js';

describe('<peerix-local-media> and <peerix-remote-videos>', () => {
  before(async () => {
    await loadElements();
  });

  it('previews the camera muted and mirrored, reflects muted/camera-off, and is accessible', async () => {
    const el = await fixture<PeerixLocalMedia>(html`<peerix-local-media></peerix-local-media>`);
    await until(() => el.status === 'live', 'camera live');
    expect(el.getAttribute('status')).to.equal('live');
    const video = el.shadowRoot!.querySelector('video')!;
    expect(video.muted).to.equal(true);
    expect(getComputedStyle(video).transform).to.not.equal('none');
    const change = oneEvent(el, 'peerix-media-change');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="mute-button"]')!.click();
    const detail = ((await change) as CustomEvent<MediaChangeDetail>).detail;
    expect(detail.muted).to.equal(true);
    await el.updateComplete;
    expect(el.hasAttribute('muted')).to.equal(true);
    expect(el.stream!.getAudioTracks().every((t) => !t.enabled)).to.equal(true);
    expect(el.shadowRoot!.querySelector('[part~="mute-button"]')!.getAttribute('aria-pressed')).to.equal('true');
    el.cameraOff = true;
    await el.updateComplete;
    expect(el.hasAttribute('camera-off')).to.equal(true);
    expect(el.stream!.getVideoTracks().every((t) => !t.enabled)).to.equal(true);
    await until(() => el.shadowRoot!.querySelectorAll('option').length > 1, 'device menus filled');
    await expect(el).to.be.accessible();
    const stream = el.stream!;
    el.remove();
    expect(stream.getTracks().every((t) => t.readyState === 'ended')).to.equal(true);
  });

  it('composed markup without page CSS: the preview stays a preview, not the page width', async () => {
    const wrapper = await fixture(html`<div style="width: 1280px">
      <peerix-room driver="memory" room=${uniqueRoom('composed')} name="Ana"><peerix-local-media></peerix-local-media><peerix-remote-videos></peerix-remote-videos></peerix-room>
    </div>`);
    const media = wrapper.querySelector<PeerixLocalMedia>('peerix-local-media')!;
    await until(() => media.status === 'live', 'camera live');
    expect(media.getBoundingClientRect().width).to.equal(480);
    expect(wrapper.querySelector('peerix-remote-videos')!.getBoundingClientRect().width).to.equal(1280);
    media.style.setProperty('--peerix-local-media-max-width', 'none');
    expect(media.getBoundingClientRect().width).to.equal(1280);
  });

  it('shows a clear state when permission is denied', async () => {
    const original = navigator.mediaDevices.getUserMedia;
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
    try {
      const el = await fixture<PeerixLocalMedia>(html`<peerix-local-media denied-text="Kein Zugriff"></peerix-local-media>`);
      await until(() => el.status === 'denied', 'denied');
      const status = el.shadowRoot!.querySelector('[part="status"]')!;
      expect(status.getAttribute('role')).to.equal('alert');
      expect(status.textContent).to.contain('Kein Zugriff');
      await expect(el).to.be.accessible();
    } finally {
      navigator.mediaDevices.getUserMedia = original;
    }
  });

  it('shows remote tiles with names, muted state and live removal; replays streams to late subscribers', async () => {
    const { a, b, videos } = await anaToBen('media');
    const tile = () => videos.shadowRoot!.querySelector('[part~="tile"]')!;
    expect(videos.getAttribute('count')).to.equal('1');
    expect(tile().querySelector('[part="name"]')!.textContent).to.equal('Ana');
    a.querySelector<PeerixLocalMedia>('peerix-local-media')!.muted = true;
    await until(() => tile()?.hasAttribute('muted'), 'muted shown remotely');
    expect(tile().querySelector('[part~="muted-badge"]')).to.exist;
    await expect(videos).to.be.accessible();

    // A late subscriber gets the existing stream replayed.
    const late = document.createElement('peerix-remote-videos');
    b.append(late);
    await until(() => late.count === 1, 'late subscriber replayed');

    a.querySelector('peerix-local-media')!.remove();
    await until(() => videos.count === 0 && late.count === 0, 'tile removed on unshare');
  });

  it('takes a Peer by property, without a room', async () => {
    const driver = new MemoryDriver();
    const room = uniqueRoom('prop');
    const p1 = new Peer({ driver });
    const p2 = new Peer({ driver });
    const videos = await fixture<PeerixRemoteVideos>(html`<peerix-remote-videos .peer=${p2}></peerix-remote-videos>`);
    const media = await fixture<PeerixLocalMedia>(html`<peerix-local-media .peer=${p1}></peerix-local-media>`);
    await Promise.all([p1.join({ room, metadata: { name: 'P1' } }), p2.join({ room, metadata: { name: 'P2' } })]);
    await until(() => videos.count === 1, 'tile via property peer');
    media.remove();
    await Promise.all([p1.leave(), p2.leave()]);
  });

  it('<peerix-screen-share> toggles with aria-pressed and stops when the track ends', async function () {
    const el = await fixture<PeerixScreenShare>(html`<peerix-screen-share></peerix-screen-share>`);
    const button = el.shadowRoot!.querySelector('button')!;
    expect(button.getAttribute('aria-pressed')).to.equal('false');
    await expect(el).to.be.accessible();
    const canvas = document.createElement('canvas');
    const fake = canvas.captureStream(5);
    // Stand in for the screen picker on the prototype (an own property on the instance is not honoured everywhere).
    const proto = Object.getPrototypeOf(navigator.mediaDevices) as MediaDevices;
    const original = Object.getOwnPropertyDescriptor(proto, 'getDisplayMedia')!;
    Object.defineProperty(proto, 'getDisplayMedia', { configurable: true, writable: true, value: () => Promise.resolve(fake) });
    try {
      await el.start();
      await el.updateComplete;
      expect(el.sharing).to.equal(true);
      expect(el.hasAttribute('sharing')).to.equal(true);
      expect(button.getAttribute('aria-pressed')).to.equal('true');
      const stopped = oneEvent(el, 'peerix-screen-share');
      // What the browser's own stop button does: the capture track ends.
      fake.getVideoTracks()[0]!.stop();
      await stopped;
      expect(el.sharing).to.equal(false);
    } finally {
      Object.defineProperty(proto, 'getDisplayMedia', original);
    }
  });
});
