import { expect } from '@open-wc/testing';
import { MemoryDriver, type Peer } from '../../src/index.js';
import { Mixer } from '../../src/addons/mixer/index.js';
import { contain, gridCells, speakerCells } from '../../src/addons/mixer/layout.js';
import { formMesh, leaveAll, makePeers, until } from '../engine/helpers.js';
import { colourStream, near, pixel, showStream, sleep, spectrum, toneStream } from './media-helpers.js';

const room = () => `mixer-${Math.random()}`;
const PRESENT_DB = -60;
const W = 640;
const H = 360;
type RGB = [number, number, number];
const RED: RGB = [255, 0, 0];
const GREEN: RGB = [0, 255, 0];
const BLUE: RGB = [0, 0, 255];
const YELLOW: RGB = [255, 255, 0];

/** The colour in the picture area of each grid cell of an `n`-tile mix. */
function cellColours(video: HTMLVideoElement, n: number): RGB[] {
  return gridCells(n, video.videoWidth, video.videoHeight).map((c) => pixel(video, Math.round(c.x + c.w / 2), Math.round(c.y + c.h * 0.4)));
}

const hasColours = (colours: RGB[], wanted: RGB[]): boolean => wanted.every((w) => colours.some((c) => near(c, w)));

describe('Mixer layout', () => {
  it('grid cells tile the canvas; a short last row is centred', () => {
    expect(gridCells(1, 640, 360)).to.deep.equal([{ x: 0, y: 0, w: 640, h: 360 }]);
    expect(gridCells(4, 640, 360).map((c) => [c.x, c.y])).to.deep.equal([[0, 0], [320, 0], [0, 180], [320, 180]]);
    expect(gridCells(3, 640, 360).map((c) => [c.x, c.y])).to.deep.equal([[0, 0], [320, 0], [160, 180]]);
    expect(gridCells(0, 640, 360)).to.deep.equal([]);
  });

  it('speaker layout: the speaker large on top, the others in a strip', () => {
    const cells = speakerCells(3, 640, 360, 1);
    expect(cells[1]).to.deep.equal({ x: 0, y: 0, w: 640, h: 270 });
    expect(cells[0]).to.deep.equal({ x: 0, y: 270, w: 320, h: 90 });
    expect(cells[2]).to.deep.equal({ x: 320, y: 270, w: 320, h: 90 });
    expect(contain(320, 240, { x: 0, y: 0, w: 640, h: 240 })).to.deep.equal({ x: 160, y: 0, w: 320, h: 240 });
  });

  it('rejects bad options', () => {
    expect(() => new Mixer({ width: 0 })).to.throw(/width/);
    expect(() => new Mixer({ layout: 'mosaic' as 'grid' })).to.throw(/layout/);
    expect(() => new Mixer().setGain('x', -1)).to.throw(/gain/);
  });
});

describe('Mixer', () => {
  it('mixes remote and local shares into one video and one audio track, following replace, unshare, gain and leave', async function () {
    this.timeout(90000);
    const peers = makePeers(3, new MemoryDriver());
    const [a, b, c] = peers as [Peer, Peer, Peer];
    const mixer = new Mixer({ width: W, height: H });
    a.attach(mixer);
    expect(mixer.stream.getVideoTracks()).to.have.length(1);
    expect(mixer.stream.getAudioTracks()).to.have.length(1);
    await formMesh(peers, room());
    const sources = [colourStream('#f00'), colourStream('#0f0'), colourStream('#00f')];
    const tones = [toneStream(440), toneStream(880), toneStream(1320)];
    const share = (p: Peer, i: number): void => p.share({ label: 'cam', stream: new MediaStream([...sources[i]!.stream.getTracks(), ...tones[i]!.stream.getTracks()]) });
    share(a, 0);
    share(b, 1);
    share(c, 2);
    await until(() => mixer.sources.length === 3, 'three sources');
    expect(mixer.sources.map((s) => s.name).sort()).to.deep.equal(['peer0', 'peer1', 'peer2']);
    const video = await showStream(mixer.stream);
    expect([video.videoWidth, video.videoHeight]).to.deep.equal([W, H]);
    await until(() => hasColours(cellColours(video, 3), [RED, GREEN, BLUE]), 'red, green and blue cells');

    const audio = mixer.stream.getAudioTracks()[0]!;
    // A full-scale sine reads about -28 dB; silence below -150. Audio may trail the pictures a little.
    let levels = await spectrum(audio, [440, 880, 1320, 660]);
    for (let i = 0; i < 20 && levels.at.slice(0, 3).some((db) => db < PRESENT_DB); i++) levels = await spectrum(audio, [440, 880, 1320, 660]);
    expect(levels.at.slice(0, 3).every((db) => db > PRESENT_DB), `tones at ${levels.at}`).to.equal(true);
    expect(levels.at[3]!, 'no 660 Hz').to.be.lessThan(Math.min(...levels.at.slice(0, 3)) - 30);

    mixer.setGain(b.id, 0);
    levels = await spectrum(audio, [440, 880, 1320]);
    expect(levels.at[1]!, 'b silenced').to.be.lessThan(Math.min(levels.at[0]!, levels.at[2]!) - 30);
    mixer.setGain(b.id, 1);
    levels = await spectrum(audio, [880]);
    expect(levels.at[0]!, 'b back').to.be.greaterThan(PRESENT_DB);

    // A managed replace of the local share swaps the picture in its cell.
    const yellow = colourStream('#ff0');
    a.share({ label: 'cam', stream: yellow.stream, managed: true });
    await until(() => hasColours(cellColours(video, 3), [YELLOW, GREEN, BLUE]) && !hasColours(cellColours(video, 3), [RED]), 'yellow instead of red');

    // A leave empties its cell: two cells left.
    await c.leave();
    await until(() => mixer.sources.length === 2, 'c gone from the sources');
    await until(() => hasColours(cellColours(video, 2), [YELLOW, GREEN]), 'two cells');

    a.unshare('cam');
    await until(() => mixer.sources.length === 1, 'a unshared');
    await until(() => near(cellColours(video, 1)[0]!, GREEN), 'only green');

    a.detach(mixer);
    expect(mixer.sources).to.have.length(0);
    expect(a.listenerCount()).to.equal(0);
    expect(Object.hasOwn(a, 'share'), 'share unwrapped').to.equal(false);
    mixer.destroy();
    expect(mixer.stream.getTracks().every((t) => t.readyState === 'ended')).to.equal(true);
    video.remove();
    [...sources, yellow].forEach((s) => s.stop());
    tones.forEach((t) => t.stop());
    await leaveAll(peers);
  });

  it('speaker layout puts the one who speaks in the large cell', async function () {
    this.timeout(60000);
    const peers = makePeers(3, new MemoryDriver());
    const [a, b, c] = peers as [Peer, Peer, Peer];
    const mixer = new Mixer({ width: W, height: H, layout: 'speaker', local: false });
    a.attach(mixer);
    await formMesh(peers, room());
    const quiet = colourStream('#0f0');
    const loud = colourStream('#00f');
    const tone = toneStream(440);
    b.share({ label: 'cam', stream: quiet.stream });
    c.share({ label: 'cam', stream: new MediaStream([...loud.stream.getTracks(), ...tone.stream.getTracks()]) });
    await until(() => mixer.sources.length === 2, 'two sources');
    const video = await showStream(mixer.stream);
    await until(() => mixer.speaker.startsWith(c.id), 'c as the speaker');
    await until(() => near(pixel(video, W / 2, Math.round(H * 0.35)), BLUE), 'blue large on top');
    // The quiet peer's frames may reach the canvas a little after the speaker's.
    await until(() => near(pixel(video, W / 2, Math.round(H * 0.85)), GREEN), 'green in the strip');
    mixer.destroy();
    video.remove();
    [quiet, loud, tone].forEach((s) => s.stop());
    await leaveAll(peers);
  });
});
