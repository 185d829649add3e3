import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { MemoryDriver, Peer } from '../../src/index.js';
import type { PeerixRoom, PeerixChat, ErrorDetail } from '../../elements/index.js';
import { connected, loadElements, uniqueRoom, until } from './helpers.js';

describe('<peerix-room>', () => {
  let Room: typeof PeerixRoom;
  before(async () => {
    ({ PeerixRoom: Room } = await loadElements());
  });

  it('is defined, reflects state and joins with driver="memory"', async () => {
    const room = uniqueRoom('r');
    const el = await fixture<PeerixRoom>(html`<peerix-room driver="memory" room=${room} name="Ana"></peerix-room>`);
    expect(el).to.be.instanceOf(Room);
    await until(() => el.state === 'joined', 'joined');
    expect(el.getAttribute('state')).to.equal('joined');
    expect(el.peer).to.be.instanceOf(Peer);
    expect(el.peer!.metadata.name).to.equal('Ana');
    expect(el.connections.size).to.equal(0);
    await expect(el).to.be.accessible();
  });

  it('two rooms in one page connect and re-dispatch engine events as DOM events', async () => {
    const room = uniqueRoom('pair');
    const wrapper = await fixture(html`<div>
      <peerix-room id="a" driver="memory" room=${room} name="A"></peerix-room>
      <peerix-room id="b" driver="memory" room=${room} name="B"></peerix-room>
    </div>`);
    const a = wrapper.querySelector<PeerixRoom>('#a')!;
    const b = wrapper.querySelector<PeerixRoom>('#b')!;
    const seen: string[] = [];
    wrapper.addEventListener('peerix-connection', (e) => seen.push((e as CustomEvent<{ state: string }>).detail.state));
    await connected([a, b]);
    expect(seen).to.include('connected');
    const remote = [...a.connections.values()][0]!;
    expect(remote.metadata.name).to.equal('B');
    a.peer!.open({ label: 'x' });
    const message = new Promise<CustomEvent<{ data: string; label: string }>>((resolve) => {
      b.addEventListener('peerix-channel-message', (e) => {
        if (e.detail.label === 'x') resolve(e as CustomEvent<{ data: string; label: string }>);
      });
    });
    await until(() => remote.channels.get('x')?.readyState === 'open', 'channel x');
    void a.peer!.send('hello', { label: 'x' });
    const event = await message;
    expect(event.detail.data).to.equal('hello');
    expect(event.bubbles && event.composed).to.equal(true);
  });

  it('accepts a Driver instance on the driver property and manual join/leave', async () => {
    const driver = new MemoryDriver();
    const room = uniqueRoom('manual');
    const a = await fixture<PeerixRoom>(html`<peerix-room manual .driver=${driver} room=${room}></peerix-room>`);
    const b = await fixture<PeerixRoom>(html`<peerix-room manual .driver=${driver} room=${room}></peerix-room>`);
    await until(() => a.state === 'ready' && b.state === 'ready', 'ready');
    expect(a.peer!.driver).to.equal(driver);
    await Promise.all([a.join(), b.join()]);
    await connected([a, b]);
    await b.leave();
    expect(b.state).to.equal('ready');
    await until(() => a.connections.size === 0, 'goodbye seen');
  });

  it('leaves when removed', async () => {
    const driver = new MemoryDriver();
    const room = uniqueRoom('remove');
    const wrapper = await fixture(html`<div>
      <peerix-room .driver=${driver} room=${room}></peerix-room><peerix-room .driver=${driver} room=${room}></peerix-room>
    </div>`);
    const [a, b] = [...wrapper.querySelectorAll('peerix-room')];
    await connected([a!, b!]);
    const peer = b!.peer!;
    b!.remove();
    await until(() => a!.connections.size === 0, 'the removed room left', 3000);
    expect(peer.state).to.equal('idle');
    expect(b!.getAttribute('state')).to.equal('idle');
  });

  it('fires peerix-error naming the missing package when a driver client cannot load', async () => {
    const el = document.createElement('peerix-room');
    el.setAttribute('driver', 'no-such-driver');
    const unknown = oneEvent(el, 'peerix-error');
    document.body.append(el);
    const e1 = (await unknown) as CustomEvent<ErrorDetail>;
    expect(e1.detail.message).to.contain('unknown driver');
    el.remove();
    // supabase without a key fails before importing anything: a clear message too.
    const el2 = document.createElement('peerix-room');
    el2.setAttribute('driver', 'supabase');
    const missing = oneEvent(el2, 'peerix-error');
    document.body.append(el2);
    expect(((await missing) as CustomEvent<ErrorDetail>).detail.message).to.contain('key');
    el2.remove();
  });

  it('MissingDriverPackageError names the package', async () => {
    const { MissingDriverPackageError } = await loadElements();
    const error = new MissingDriverPackageError('mqtt', 'mqtt', new Error('x'));
    expect(error.packageName).to.equal('mqtt');
    expect(error.message).to.contain('npm install mqtt');
    expect(error.message).to.contain("import 'peerix/elements/drivers/mqtt'");
  });

  it('provides its peer to children upgraded before the room (late define order)', async () => {
    // A fresh tag for the room, defined only after the children exist and upgraded.
    const tag = `late-room-${Math.random().toString(36).slice(2)}`;
    const room = uniqueRoom('late');
    const wrapper = await fixture(html`<div></div>`);
    const host = document.createElement(tag);
    host.setAttribute('driver', 'memory');
    host.setAttribute('room', room);
    host.append(document.createElement('div'));
    host.firstElementChild!.append(document.createElement('peerix-chat'));
    wrapper.append(host);
    const chat = wrapper.querySelector<PeerixChat>('peerix-chat')!;
    await chat.updateComplete;
    expect(chat.activePeer).to.equal(null);
    customElements.define(tag, class extends Room {});
    const el = wrapper.querySelector(tag) as PeerixRoom;
    await until(() => el.peer && chat.activePeer === el.peer, 'the chat found the late room');
  });

  it('uses the driver loaded on demand (mqtt import is lazy)', async () => {
    // No broker here: the driver loads, the room gets a peer; no connection is expected.
    // peerix/elements imports no client library: the app registers the ones it uses.
    await import('../../elements/drivers/mqtt.js');
    const errors: string[] = [];
    const el = document.createElement('peerix-room');
    el.addEventListener('peerix-error', (e) => errors.push(e.detail.message));
    Object.assign(el, { manual: true, driver: 'mqtt', url: 'ws://127.0.0.1:9/mqtt', room: 'x' });
    document.body.append(el);
    await until(() => el.state === 'ready' || el.state === 'error', 'mqtt driver loaded', 10000);
    expect(errors).to.deep.equal([]);
    expect(el.state).to.equal('ready');
    expect(el.peer!.driver.constructor.name).to.equal('MqttDriver');
    el.remove();
  });
});
