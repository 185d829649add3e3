import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { PeerixChat, PeerixRoom, ChatMessageDetail } from '../../elements/index.js';
import { connected, loadElements, uniqueRoom, until } from './helpers.js';

const EVIL = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>';

describe('<peerix-chat>', () => {
  before(async () => {
    await loadElements();
  });

  it('sends with Enter, shows names and times, counts unread while collapsed, and is accessible', async () => {
    const room = uniqueRoom('chat');
    const wrapper = await fixture(html`<div>
      <peerix-room id="a" driver="memory" room=${room} name="Ana"><peerix-chat></peerix-chat></peerix-room>
      <peerix-room id="b" driver="memory" room=${room} name="Ben"><peerix-chat collapsed></peerix-chat></peerix-room>
    </div>`);
    const a = wrapper.querySelector<PeerixRoom>('#a')!;
    const b = wrapper.querySelector<PeerixRoom>('#b')!;
    const chatA = a.querySelector<PeerixChat>('peerix-chat')!;
    const chatB = b.querySelector<PeerixChat>('peerix-chat')!;
    await connected([a, b]);
    const input = chatA.shadowRoot!.querySelector('input')!;
    input.value = 'hi Ben';
    const received = oneEvent(chatB, 'peerix-chat-message');
    input.form!.requestSubmit();
    const detail = ((await received) as CustomEvent<ChatMessageDetail>).detail;
    expect(detail.text).to.equal('hi Ben');
    expect(detail.name).to.equal('Ana');
    expect(detail.local).to.equal(false);
    expect(input.value).to.equal('');
    await chatB.updateComplete;
    expect(chatB.unread).to.equal(1);
    expect(chatB.getAttribute('unread')).to.equal('1');
    chatB.collapsed = false;
    await chatB.updateComplete;
    expect(chatB.unread).to.equal(0);
    const line = chatB.shadowRoot!.querySelector('[part~="message"]')!;
    expect(line.querySelector('[part="author"]')!.textContent).to.equal('Ana');
    expect(line.querySelector('time')!.getAttribute('datetime')).to.match(/^\d{4}-/);
    expect(chatB.shadowRoot!.querySelector('[role="log"]')!.getAttribute('aria-live')).to.equal('polite');
    await expect(chatA).to.be.accessible();
    await expect(chatB).to.be.accessible();
  });

  it('delivers messages typed before anyone connected', async () => {
    const room = uniqueRoom('outbox');
    const a = await fixture<PeerixRoom>(html`<peerix-room driver="memory" room=${room} name="Early"><peerix-chat></peerix-chat></peerix-room>`);
    await until(() => a.state === 'joined', 'joined');
    a.querySelector<PeerixChat>('peerix-chat')!.send('anyone here?');
    const b = await fixture<PeerixRoom>(html`<peerix-room driver="memory" room=${room} name="Late"><peerix-chat></peerix-chat></peerix-room>`);
    const chatB = b.querySelector<PeerixChat>('peerix-chat')!;
    await until(() => chatB.messages.some((m) => m.text === 'anyone here?' && m.name === 'Early'), 'outbox flushed on channel open');
  });

  it('renders remote text and names carrying HTML or script as text', async () => {
    (window as { __pwned?: number }).__pwned = 0;
    const room = uniqueRoom('xss');
    const wrapper = await fixture(html`<div>
      <peerix-room id="a" driver="memory" room=${room} name=${EVIL}><peerix-local-media></peerix-local-media><peerix-chat></peerix-chat></peerix-room>
      <peerix-room id="b" driver="memory" room=${room} name="Ben"><peerix-chat></peerix-chat><peerix-remote-videos></peerix-remote-videos></peerix-room>
    </div>`);
    const a = wrapper.querySelector<PeerixRoom>('#a')!;
    const b = wrapper.querySelector<PeerixRoom>('#b')!;
    await connected([a, b]);
    a.querySelector<PeerixChat>('peerix-chat')!.send(EVIL);
    const chatB = b.querySelector<PeerixChat>('peerix-chat')!;
    await until(() => chatB.messages.length === 1, 'evil message received');
    const videos = b.querySelector('peerix-remote-videos')!;
    await until(() => videos.count === 1, 'tile with an evil name');
    await chatB.updateComplete;
    await videos.updateComplete;
    await new Promise((r) => setTimeout(r, 200)); // give an injected onerror the time to run
    for (const root of [chatB.shadowRoot!, videos.shadowRoot!]) {
      expect(root.querySelector('img, script, b')).to.equal(null);
    }
    expect(chatB.shadowRoot!.querySelector('[part="text"]')!.textContent).to.equal(EVIL);
    expect(chatB.shadowRoot!.querySelector('[part="author"]')!.textContent).to.equal(EVIL.slice(0, 64));
    expect(videos.shadowRoot!.querySelector('[part="name"]')!.textContent).to.equal(EVIL.slice(0, 64));
    expect((window as { __pwned?: number }).__pwned).to.equal(0);
  });
});
