import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { PeerixChat, PeerixConference, PeerixLocalMedia, PeerixRemoteVideos, PeerixRoom, PeerixScreenShare } from '../../elements/index.js';
import { connected, loadElements, uniqueRoom, until } from './helpers.js';

const $ = <T extends Element = HTMLElement>(el: PeerixConference, selector: string) => el.shadowRoot!.querySelector<T>(selector)!;
const control = (el: PeerixConference, part: string) => $<HTMLButtonElement>(el, `.bar button[part~="${part}"]`);

/** Focuses `button` and presses `key` on the real keyboard. */
async function press(button: HTMLButtonElement, key: 'Enter' | ' ' = 'Enter'): Promise<void> {
  button.focus();
  await sendKeys({ press: key });
}

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
    await until(() => $<PeerixLocalMedia>(el, 'peerix-local-media').status === 'live', 'camera');
    await expect(el).to.be.accessible();
    const button = control(el, 'leave-button');
    expect(button.getAttribute('aria-label')).to.equal('Leave');
    expect(button.title).to.equal('Leave');
    button.click();
    await until(() => el.state === 'ready', 'left');
    await el.updateComplete;
    expect(button.getAttribute('aria-label')).to.equal('Join');
    expect(button.matches('[part~="join"]')).to.equal(true);
  });

  it('control bar: icon buttons with names that say what a press does, pressed states, all from the keyboard', async () => {
    const room = uniqueRoom('bar');
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <peerix-conference driver="memory" room=${room} name="Ana" recording></peerix-conference>
      <peerix-conference driver="memory" room=${room} name="Ben"></peerix-conference>
    </div>`);
    const [ana, ben] = [...wrapper.querySelectorAll<PeerixConference>('peerix-conference')];
    const media = $<PeerixLocalMedia>(ana, 'peerix-local-media');
    await until(() => media.status === 'live', 'camera');
    await connected([ana.roomElement as PeerixRoom, ben.roomElement as PeerixRoom]);
    await ana.updateComplete;

    const bar = $(ana, '[part="controls"]');
    expect(bar.getAttribute('role')).to.equal('group');
    expect(bar.getAttribute('aria-label')).to.equal('Call controls');
    // Every control is an icon button: an SVG and no text, named by aria-label, with a tooltip.
    const buttons = [...bar.querySelectorAll<HTMLButtonElement>('button')];
    expect(buttons.map((b) => b.getAttribute('aria-label'))).to.deep.equal(['Mute', 'Turn camera off', 'Share screen', 'Speaker view', 'Hide chat', 'Leave']);
    for (const b of buttons) {
      expect(b.querySelector('svg'), b.title).to.exist;
      expect(b.textContent!.trim()).to.equal('');
      expect(b.title).to.equal(b.getAttribute('aria-label'));
    }
    expect(bar.querySelector('peerix-record-button'), 'record button in the bar').to.exist;

    // Microphone, from the keyboard: Enter mutes, Space unmutes.
    const mic = control(ana, 'mic-button');
    expect(mic.getAttribute('aria-pressed')).to.equal('false');
    await press(mic);
    await until(() => media.muted, 'muted');
    await ana.updateComplete;
    expect(media.stream!.getAudioTracks().every((t) => !t.enabled)).to.equal(true);
    expect(mic.getAttribute('aria-pressed')).to.equal('true');
    expect(mic.getAttribute('aria-label')).to.equal('Unmute');
    expect([...ana.shadowRoot!.querySelectorAll('[part="self-badge"]')].map((b) => b.textContent)).to.deep.equal(['Muted']);
    // The other side sees it on Ana's tile.
    const benVideos = $<PeerixRemoteVideos>(ben, 'peerix-remote-videos');
    await until(() => benVideos.shadowRoot!.querySelector('figure[muted]'), 'Ben sees Ana muted');
    await press(mic, ' ');
    await until(() => !media.muted, 'unmuted');
    await ana.updateComplete;
    expect(mic.getAttribute('aria-label')).to.equal('Mute');

    // Camera.
    const camera = control(ana, 'camera-button');
    await press(camera);
    await until(() => media.cameraOff, 'camera off');
    await ana.updateComplete;
    expect(media.stream!.getVideoTracks().every((t) => !t.enabled)).to.equal(true);
    expect(camera.getAttribute('aria-pressed')).to.equal('true');
    expect(camera.getAttribute('aria-label')).to.equal('Turn camera on');
    expect([...ana.shadowRoot!.querySelectorAll('[part="self-badge"]')].map((b) => b.textContent)).to.deep.equal(['Camera off']);
    await press(camera);
    await until(() => !media.cameraOff, 'camera on');

    // Chat: hiding it hides the panel; a message arriving meanwhile shows as unread on the button.
    const chatButton = control(ana, 'chat-button');
    expect(chatButton.getAttribute('aria-pressed')).to.equal('true');
    await press(chatButton);
    await ana.updateComplete;
    const chat = $<PeerixChat>(ana, 'peerix-chat');
    expect(ana.chatOpen).to.equal(false);
    expect(ana.hasAttribute('chat-open')).to.equal(false);
    expect(chat.hidden).to.equal(true);
    expect(getComputedStyle($(ana, '[part="sidebar"]')).display).to.equal('none');
    $<PeerixChat>(ben, 'peerix-chat').send('while you were away');
    await until(() => chat.unread === 1, 'unread message');
    await ana.updateComplete;
    expect(chatButton.getAttribute('aria-label')).to.equal('Show chat (1 unread)');
    expect(chatButton.querySelector('[part="unread"]')!.textContent).to.equal('1');
    await press(chatButton);
    await ana.updateComplete;
    expect(chat.hidden).to.equal(false);
    expect(chat.unread).to.equal(0);
    expect(chatButton.getAttribute('aria-label')).to.equal('Hide chat');

    // Tab moves through the bar in order (no control is skipped or trapped).
    mic.focus();
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      await sendKeys({ press: 'Tab' });
      let active: Element | null = ana.shadowRoot!.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      order.push(active?.getAttribute('aria-label') ?? active?.localName ?? '');
    }
    expect(order).to.deep.equal(['Turn camera off', 'Share screen', 'Start recording', 'Speaker view', 'Hide chat']);
    await expect(ana).to.be.accessible();
  });

  it('screen button shares the screen into the call (the others get a screen tile, large in the speaker layout) and stops it', async () => {
    const room = uniqueRoom('screen');
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <peerix-conference driver="memory" room=${room} name="Ana"></peerix-conference>
      <peerix-conference driver="memory" room=${room} name="Ben"></peerix-conference>
    </div>`);
    const [ana, ben] = [...wrapper.querySelectorAll<PeerixConference>('peerix-conference')];
    await connected([ana.roomElement as PeerixRoom, ben.roomElement as PeerixRoom]);
    await ana.updateComplete;
    const canvas = document.createElement('canvas');
    const fake = canvas.captureStream(5);
    // A canvas stream has frames only while something draws.
    let frame = 0;
    const painter = setInterval(() => canvas.getContext('2d')!.fillRect(0, 0, ++frame % 300, 10), 100);
    // Stand in for the browser's screen picker, which a test cannot click.
    const proto = Object.getPrototypeOf(navigator.mediaDevices) as MediaDevices;
    const original = Object.getOwnPropertyDescriptor(proto, 'getDisplayMedia')!;
    Object.defineProperty(proto, 'getDisplayMedia', { configurable: true, writable: true, value: () => Promise.resolve(fake) });
    try {
      const button = control(ana, 'screen-button');
      await press(button);
      const screen = $<PeerixScreenShare>(ana, 'peerix-screen-share');
      await until(() => screen.sharing, 'sharing');
      await ana.updateComplete;
      expect(button.getAttribute('aria-pressed')).to.equal('true');
      expect(button.getAttribute('aria-label')).to.equal('Stop sharing');
      // Ana sees what she shares: a small muted tile in the stage's bottom-left corner.
      const preview = $(ana, '[part="screen-preview"]');
      const previewVideo = preview.querySelector<HTMLVideoElement>('[part="screen-video"]')!;
      expect(previewVideo.srcObject).to.equal(screen.stream);
      expect(previewVideo.muted).to.equal(true);
      expect(preview.textContent!.trim()).to.equal('Your screen');
      const stageBox = $(ana, '[part="stage"]').getBoundingClientRect();
      const box = preview.getBoundingClientRect();
      expect(box.width).to.be.greaterThan(50).and.lessThan(stageBox.width / 2);
      expect(box.left - stageBox.left).to.be.lessThan(20);
      expect(stageBox.bottom - box.bottom).to.be.lessThan(20);
      await until(() => previewVideo.videoWidth > 0, 'the preview plays');
      const benVideos = $<PeerixRemoteVideos>(ben, 'peerix-remote-videos');
      await until(() => benVideos.shadowRoot!.querySelector('figure[data-label="screen"]'), 'Ben sees the screen');
      // In the speaker layout the shared screen is the large tile.
      ben.layout = 'speaker';
      await ben.updateComplete;
      await benVideos.updateComplete;
      expect(benVideos.shadowRoot!.querySelector<HTMLElement>('figure[featured]')!.dataset.label).to.equal('screen');
      ben.layout = 'grid';
      await press(button);
      await until(() => !screen.sharing, 'stopped');
      await ana.updateComplete;
      expect(fake.getVideoTracks()[0]!.readyState).to.equal('ended');
      expect(button.getAttribute('aria-label')).to.equal('Share screen');
      expect(ana.shadowRoot!.querySelector('[part="screen-preview"]')).to.equal(null);
      await until(() => !benVideos.shadowRoot!.querySelector('figure[data-label="screen"]'), 'screen tile gone at Ben');
    } finally {
      clearInterval(painter);
      Object.defineProperty(proto, 'getDisplayMedia', original);
    }
  });

  it('self view: your camera as a small tile in the stage corner, labelled "You (name)"', async () => {
    const el = await fixture<PeerixConference>(html`<div style="width: 1000px"><peerix-conference driver="memory" room=${uniqueRoom('self')} name="Zoe"></peerix-conference></div>`).then((d) => d.firstElementChild as PeerixConference);
    const media = $<PeerixLocalMedia>(el, 'peerix-local-media');
    await until(() => media.status === 'live', 'camera');
    await el.updateComplete;
    const self = $(el, '[part="self-view"]');
    const stage = $(el, '[part="stage"]');
    expect(stage.contains(self)).to.equal(true);
    expect($(el, '[part="self-name"]').textContent).to.equal('You (Zoe)');
    const box = self.getBoundingClientRect();
    const stageBox = stage.getBoundingClientRect();
    // Small (not the stage's width) and in its bottom-right corner.
    expect(box.width).to.be.lessThan(stageBox.width / 3);
    expect(box.width).to.be.greaterThan(100);
    expect(stageBox.right - box.right).to.be.lessThan(20);
    expect(stageBox.bottom - box.bottom).to.be.lessThan(20);
    // Its own buttons are in the control bar instead.
    expect(getComputedStyle(media.shadowRoot!.querySelector('[part="controls"]')!).display).to.equal('none');
    const video = media.shadowRoot!.querySelector('video')!;
    await until(() => video.videoWidth > 0, 'self view plays');
    el.labels = { you: 'Du' };
    await el.updateComplete;
    expect($(el, '[part="self-name"]').textContent).to.equal('Du (Zoe)');
  });

  it('speaker layout: the last loudest peer large above a strip; and the layout button switches', async function () {
    // Two waits on sound through WebRTC (20 s and 30 s on a loaded machine) do not fit the default 30 s.
    this.timeout(75_000);
    const room = uniqueRoom('speaker');
    const wrapper = await fixture<HTMLDivElement>(html`<div style="width: 900px">
      <peerix-conference driver="memory" room=${room} name="Ana" layout="speaker"></peerix-conference>
      <peerix-conference driver="memory" room=${room} name="Ben"></peerix-conference>
      <peerix-conference driver="memory" room=${room} name="Cy"></peerix-conference>
    </div>`);
    const [ana, ben, cy] = [...wrapper.querySelectorAll<PeerixConference>('peerix-conference')];
    const all = [ana, ben, cy];
    await connected(all.map((c) => c.roomElement as PeerixRoom));
    const videos = $<PeerixRemoteVideos>(ana, 'peerix-remote-videos');
    expect(videos.getAttribute('layout')).to.equal('speaker');
    await until(() => videos.count === 2, 'two tiles at Ana');
    const media = (c: PeerixConference) => $<PeerixLocalMedia>(c, 'peerix-local-media');
    await until(() => all.every((c) => media(c).status === 'live'), 'all cameras');
    const featured = () => videos.shadowRoot!.querySelector('figure[featured]')?.querySelector('[part="name"]')?.textContent;
    // Only Cy makes a sound (Ben muted: his track sends silence): Cy is featured, large.
    media(ben).muted = true;
    await until(() => featured() === 'Cy', 'Cy featured', 20000);
    const tile = (name: string) => [...videos.shadowRoot!.querySelectorAll('figure')].find((f) => f.querySelector('[part="name"]')?.textContent === name)!;
    expect(tile('Cy').getAttribute('part')).to.contain('featured');
    expect(tile('Cy').getBoundingClientRect().width).to.be.greaterThan(tile('Ben').getBoundingClientRect().width * 2);
    // Then only Ben: the large tile follows.
    media(cy).muted = true;
    media(ben).muted = false;
    await until(() => featured() === 'Ben', 'Ben featured', 30000);
    // The layout button switches to the grid (equal tiles, none featured) and back.
    const button = control(ana, 'layout-button');
    expect(button.getAttribute('aria-label')).to.equal('Grid view');
    await press(button);
    await ana.updateComplete;
    await videos.updateComplete;
    expect(ana.layout).to.equal('grid');
    expect(videos.getAttribute('layout')).to.equal('grid');
    expect(featured()).to.equal(undefined);
    expect(Math.round(tile('Ben').getBoundingClientRect().width)).to.equal(Math.round(tile('Cy').getBoundingClientRect().width));
    expect(button.getAttribute('aria-label')).to.equal('Speaker view');
    await expect(ana).to.be.accessible();
  });
});
