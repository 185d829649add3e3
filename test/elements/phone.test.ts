// <peerix-conference> on a phone-sized screen (390×844): tiles on the first screen, the bar
// pinned, the chat a drawer closed by default.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { PeerixChat, PeerixConference, PeerixRemoteVideos, PeerixRoom } from '../../elements/index.js';
import { connected, loadElements, uniqueRoom, until } from './helpers.js';

describe('<peerix-conference> on a phone', () => {
  before(async () => {
    await loadElements();
    await setViewport({ width: 390, height: 844 });
  });

  after(async () => {
    await setViewport({ width: 1280, height: 800 });
  });

  it('three people: both others on the first screen, bar pinned, chat drawer above the bar', async () => {
    const room = uniqueRoom('phone');
    // Ben and Cy are off screen; Ana's page is the phone.
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <peerix-conference driver="memory" room=${room} name="Ana" theme="dark" recording files></peerix-conference>
      <div style="position: absolute; left: -5000px; top: 0; width: 390px">
        <peerix-conference driver="memory" room=${room} name="Ben"></peerix-conference>
        <peerix-conference driver="memory" room=${room} name="Cy"></peerix-conference>
      </div>
    </div>`);
    const [ana, ben] = [...wrapper.querySelectorAll<PeerixConference>('peerix-conference')];
    await connected([...wrapper.querySelectorAll<PeerixConference>('peerix-conference')].map((c) => c.roomElement as PeerixRoom));
    const videos = ana.shadowRoot!.querySelector<PeerixRemoteVideos>('peerix-remote-videos')!;
    await until(() => videos.count === 2, 'two tiles');
    await ana.updateComplete;
    // Closed chat by default on a narrow screen.
    expect(ana.chatOpen).to.equal(false);
    const sidebar = ana.shadowRoot!.querySelector<HTMLElement>('[part="sidebar"]')!;
    expect(getComputedStyle(sidebar).display).to.equal('none');
    // Both tiles and the whole bar within the first 844 px, nothing wider than the screen.
    for (const tile of videos.shadowRoot!.querySelectorAll('figure')) {
      const box = tile.getBoundingClientRect();
      expect(box.bottom, 'tile bottom').to.be.at.most(844.5);
      expect(box.right, 'tile right').to.be.at.most(390.5);
    }
    const bar = ana.shadowRoot!.querySelector<HTMLElement>('[part="controls"]')!;
    const barBox = bar.getBoundingClientRect();
    expect(barBox.bottom).to.be.at.most(844.5);
    expect(barBox.right).to.be.at.most(390.5);
    // One row of buttons.
    const tops = new Set([...bar.querySelectorAll('button')].map((b) => Math.round(b.getBoundingClientRect().top)));
    expect(tops.size, 'buttons in one row').to.equal(1);
    expect(document.documentElement.scrollWidth).to.be.at.most(390);

    // Opening the chat from the keyboard: a drawer right above the bar, typing works.
    const chatButton = bar.querySelector<HTMLButtonElement>('[part~="chat-button"]')!;
    chatButton.focus();
    await sendKeys({ press: 'Enter' });
    await ana.updateComplete;
    expect(getComputedStyle(sidebar).position).to.equal('sticky');
    const drawer = sidebar.getBoundingClientRect();
    const barNow = bar.getBoundingClientRect();
    expect(drawer.bottom).to.be.at.most(barNow.top + 1);
    expect(barNow.bottom).to.be.at.most(844.5);
    const chat = ana.shadowRoot!.querySelector<PeerixChat>('peerix-chat')!;
    const input = chat.shadowRoot!.querySelector<HTMLInputElement>('input[part="input"]')!;
    input.focus();
    await sendKeys({ type: 'hi from the phone' });
    await sendKeys({ press: 'Enter' });
    const benChat = ben.shadowRoot!.querySelector<PeerixChat>('peerix-chat')!;
    await until(() => [...benChat.shadowRoot!.querySelectorAll('[part="text"]')].some((p) => p.textContent === 'hi from the phone'), 'Ben gets the message');
    await expect(ana).to.be.accessible();
  });
});
