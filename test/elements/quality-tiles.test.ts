// The connection quality badge on <peerix-remote-videos> tiles: on a connected peer's camera
// tile, from the real connection's getStats; not on a screen-share tile.
import { expect, fixture, html } from '@open-wc/testing';
import type { PeerixRemoteVideos, PeerixRoom } from '../../elements/index.js';
import { connected, loadElements, uniqueRoom, until } from './helpers.js';

/** A canvas stream standing in for a shared screen (headless browsers cannot pick one). */
function canvasStream(): MediaStream {
  const canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 180 });
  const context = canvas.getContext('2d')!;
  const stream = canvas.captureStream(10);
  let frame = 0;
  const timer = setInterval(() => {
    context.fillStyle = frame++ % 2 ? '#36c' : '#c63';
    context.fillRect(0, 0, canvas.width, canvas.height);
  }, 100);
  stream.getVideoTracks()[0]!.addEventListener('ended', () => clearInterval(timer));
  return stream;
}

describe('<peerix-remote-videos> connection quality badge', () => {
  before(async () => {
    await loadElements();
  });

  it('shows a graded badge on a connected camera tile and none on a screen tile', async function () {
    this.timeout(60000);
    const room = uniqueRoom('quality-tiles');
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <peerix-room driver="memory" room=${room} name="Ana"><peerix-remote-videos></peerix-remote-videos></peerix-room>
      <peerix-room driver="memory" room=${room} name="Ben"><peerix-local-media></peerix-local-media></peerix-room>
    </div>`);
    const [ana, ben] = [...wrapper.querySelectorAll<PeerixRoom>('peerix-room')] as [PeerixRoom, PeerixRoom];
    await connected([ana, ben]);
    const videos = wrapper.querySelector<PeerixRemoteVideos>('peerix-remote-videos')!;
    const root = videos.shadowRoot!;
    const screen = canvasStream();
    ben.peer!.share({ stream: screen, label: videos.screenLabel });
    try {
      await until(() => root.querySelectorAll('figure').length === 2, 'a camera tile and a screen tile');
      const tile = (screenTile: boolean) =>
        [...root.querySelectorAll<HTMLElement>('figure')].find((f) => (f.dataset.label === videos.screenLabel) === screenTile)!;
      const badge = (figure: HTMLElement) => figure.querySelector<HTMLElement>('[part~="quality-badge"]');
      // The monitor samples every 2 s; the first sample after a second one has a bitrate.
      await until(() => /bit\/s/.test(badge(tile(false))?.title ?? ''), 'a badge with figures on the camera tile', 20000);
      const camera = badge(tile(false))!;
      expect(camera.getAttribute('part')).to.match(/^badge quality-badge (good|fair|poor)$/);
      expect(camera.title).to.match(/^(good|fair|poor) connection: /);
      expect(badge(tile(true))).to.equal(null);
    } finally {
      screen.getTracks().forEach((t) => t.stop());
    }
  });
});
