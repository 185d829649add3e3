// <peerix-remote-videos> asks each sender for only what it shows: real rooms,
// fake cameras, and the received bytes read back with RemotePeer.stats().
import { expect, fixture, html } from '@open-wc/testing';
import type { PeerixRemoteVideos, PeerixRoom } from '../../elements/index.js';
import type { RemotePeer } from '../../src/index.js';
import { heightStep } from '../../elements/remote-videos.requests.js';
import { anaToBen, connected, loadElements, uniqueRoom, until as untilWithin } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Stats-based checks need longer than the elements' default wait. */
const until = (check: () => unknown, what: string, timeout = 20000) => untilWithin(check, what, timeout);


/** How much `read` grew over `ms`. */
async function growth(read: () => Promise<number>, ms = 1000): Promise<number> {
  const before = await read();
  await sleep(ms);
  return (await read()) - before;
}

/** The encoding of `from`'s video sender towards `to`. */
function encoding(from: PeerixRoom, to: PeerixRoom): RTCRtpEncodingParameters | undefined {
  const sender = from.connections.get(to.peer!.id)?.connection.getSenders().find((s) => s.track?.kind === 'video');
  return sender?.getParameters().encodings?.[0];
}

const videoBytes = (r: RemotePeer) => async () => (await r.stats()).videoBytesReceived;
const audioBytes = (r: RemotePeer) => async () => (await r.stats()).audioBytesReceived;

describe('<peerix-remote-videos> receiver requests', () => {
  before(async () => {
    await loadElements();
  });

  it('rounds tile heights to a few steps', () => {
    expect([0, 1, 180, 181, 360, 500, 720, 721, 2000].map(heightStep)).to.deep.equal([0, 180, 180, 360, 360, 720, 720, 0, 0]);
  });

  it('a tile scrolled off-screen or a hidden page stops its video; back on screen (or the element gone) it flows again; audio never stops', async function () {
    this.timeout(120000);
    const { a, b, videos } = await anaToBen('requests', 'display:block; width: 900px');
    const fromA = b.connections.get(a.peer!.id)!;
    await until(async () => (await growth(videoBytes(fromA))) > 0, 'video flowing', 30000);

    videos.style.cssText = 'display:block; width: 900px; position: fixed; left: 0; top: -5000px';
    await until(() => encoding(a, b)?.active === false, 'the sender paused for the off-screen tile');
    await until(async () => (await growth(videoBytes(fromA))) === 0, 'no more video bytes', 20000);
    expect(await growth(audioBytes(fromA))).to.be.greaterThan(0);

    videos.style.cssText = 'display:block; width: 900px';
    await until(() => encoding(a, b)?.active !== false, 'the sender resumed');
    await until(async () => (await growth(videoBytes(fromA))) > 0, 'video again', 20000);

    // A hidden page (a background tab) needs no video at all.
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
    try {
      await until(() => encoding(a, b)?.active === false, 'paused while the page is hidden');
    } finally {
      delete (document as { visibilityState?: unknown }).visibilityState;
      document.dispatchEvent(new Event('visibilitychange'));
    }
    await until(() => encoding(a, b)?.active !== false, 'resumed when visible');

    // An element that goes away lifts what it asked: another view may show the stream.
    videos.style.cssText = 'display:block; width: 900px; position: fixed; left: 0; top: -5000px';
    await until(() => encoding(a, b)?.active === false, 'paused off-screen again');
    videos.remove();
    await until(() => encoding(a, b)?.active !== false, 'resumed once the element is gone');
  });

  it('a small tile asks for a lower resolution', async function () {
    this.timeout(60000);
    const { a, b, videos } = await anaToBen('small', 'display:block; width: 240px; --peerix-tile-min-width: 100px');
    const figure = videos.shadowRoot!.querySelector('figure')!;
    const step = heightStep(Math.round(figure.getBoundingClientRect().height * devicePixelRatio));
    const track = a.querySelector('peerix-local-media')!.stream!.getVideoTracks()[0]!;
    const height = track.getSettings().height!;
    expect(step).to.be.greaterThan(0);
    if (height > step) await until(() => (encoding(a, b)?.scaleResolutionDownBy ?? 1) >= height / step, `scaled to at most ${step} px`);
    else await until(() => (encoding(a, b)?.scaleResolutionDownBy ?? 1) === 1, 'full size');
  });

  it('max-videos keeps video for that many tiles only; the others show as paused', async function () {
    this.timeout(120000);
    const room = uniqueRoom('maxvideos');
    const wrapper = await fixture(html`<div>
      <peerix-room id="b" driver="memory" room=${room} name="Ben"><peerix-remote-videos max-videos="1" style="display:block; width: 600px"></peerix-remote-videos></peerix-room>
      <peerix-room id="a" driver="memory" room=${room} name="Ana"><peerix-local-media></peerix-local-media></peerix-room>
      <peerix-room id="c" driver="memory" room=${room} name="Cy"><peerix-local-media></peerix-local-media></peerix-room>
    </div>`);
    const [a, b, c] = ['#a', '#b', '#c'].map((s) => wrapper.querySelector<PeerixRoom>(s)!) as [PeerixRoom, PeerixRoom, PeerixRoom];
    const videos = b.querySelector<PeerixRemoteVideos>('peerix-remote-videos')!;
    await connected([a, b, c]);
    await until(() => videos.count === 2, 'two tiles', 30000);
    const paused = () => [encoding(a, b), encoding(c, b)].filter((e) => e?.active === false).length;
    // Both tiles are on screen (the receiving room comes first on the page): only max-videos pauses one.
    await until(() => paused() === 1 && videos.shadowRoot!.querySelectorAll('[part~="paused"]').length === 1, 'one of two paused');
    videos.maxVideos = 0;
    await until(() => paused() === 0 && !videos.shadowRoot!.querySelector('[part~="paused"]'), 'both with video').catch((e) => {
      throw new Error(`${(e as Error).message}: ${paused()} ${JSON.stringify([encoding(a, b), encoding(c, b)])} ${videos.shadowRoot!.querySelectorAll('[part~="paused"]').length}`);
    });
    // Towards the other sender (c ↔ a), nothing was paused.
    expect(encoding(a, c)?.active).to.not.equal(false);
  });
});
