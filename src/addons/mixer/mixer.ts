import { Addon } from '../addon.js';
import { observeCalls } from '../observe.js';
import { PeerixError } from '../../errors.js';
import type { Peer } from '../../peer.js';
import type { RemotePeer } from '../../remote-peer.js';
import type { ShareOptions } from '../../types.js';
import { AudioBus } from './audio-bus.js';
import { Compositor, type Tile } from './compositor.js';
import type { MixerLayout } from './layout.js';
import { startTicker } from './ticker.js';

export interface MixerOptions {
  /** Canvas size of the composed video (default 1280×720). */
  width?: number;
  height?: number;
  /** Frames per second drawn and captured (default 15). */
  frameRate?: number;
  /** `grid` (default) or `speaker` (the loudest large, the others in a strip). */
  layout?: MixerLayout;
  /** Mix this peer's own shares too (default true). */
  local?: boolean;
  /** Draw names under the pictures (default true). */
  names?: boolean;
  /** Canvas background colour (default `#111`). */
  background?: string;
}

/** One stream in the mix, as `mixer.sources` lists it. */
export interface MixerSource {
  /** Key for `setGain`/`remove`: `<peer id>/<stream id>` for remote streams, `local/<label>` for own shares. */
  id: string;
  /** The remote peer's id, or `local`. */
  owner: string;
  name: string;
  stream: MediaStream;
}

interface Source extends Omit<MixerSource, 'name'> {
  /** Read at each frame: a local name may be set by a `join` after the share. */
  nameOf: () => string;
  peer: Peer | null;
  element: HTMLVideoElement;
  shown: MediaStreamTrack[];
}

/** The speaker changes at most this often, and only to someone clearly louder. */
const SPEAKER_HOLD_MS = 1000;
const SPEAKER_MARGIN = 1.5;

/**
 * Mixes a room into one MediaStream: every stream's audio summed through Web
 * Audio, every video drawn on a canvas (grid or speaker layout, names under
 * each picture) and captured. `peer.attach(mixer)`, then share or record `mixer.stream`.
 */
export class Mixer extends Addon<Record<never, never>, Peer> {
  #options: Required<MixerOptions>;
  #sources = new Map<string, Source>();
  #gains = new Map<string, number>();
  #undo = new Map<Peer, Array<() => void>>();
  #stream: MediaStream | null = null;
  #bus: AudioBus | null = null;
  #compositor: Compositor | null = null;
  #stopTicker: (() => void) | null = null;
  #levels = new Map<string, number>();
  #speaker = '';
  #speakerSince = 0;
  #frames = 0;

  constructor(options: MixerOptions = {}) {
    super();
    const o = { width: 1280, height: 720, frameRate: 15, layout: 'grid' as MixerLayout, local: true, names: true, background: '#111', ...options };
    for (const key of ['width', 'height', 'frameRate'] as const) {
      if (!Number.isFinite(o[key]) || o[key] <= 0) throw new PeerixError('ERR_INVALID_ARGUMENT', `Mixer ${key} must be a positive number`);
    }
    if (o.layout !== 'grid' && o.layout !== 'speaker') throw new PeerixError('ERR_INVALID_ARGUMENT', `unknown Mixer layout "${String(o.layout)}"`);
    this.#options = o;
  }

  /** The mix: one video track (the canvas) and one audio track (the sum). */
  get stream(): MediaStream {
    return this.#start();
  }

  get layout(): MixerLayout {
    return this.#options.layout;
  }

  set layout(layout: MixerLayout) {
    if (layout !== 'grid' && layout !== 'speaker') throw new PeerixError('ERR_INVALID_ARGUMENT', `unknown Mixer layout "${String(layout)}"`);
    this.#options.layout = layout;
  }

  /** The streams being mixed. */
  get sources(): MixerSource[] {
    return [...this.#sources.values()].map(({ id, owner, nameOf, stream }) => ({ id, owner, name: nameOf(), stream }));
  }

  /** Frames composed so far (to check the frame rate, e.g. in a hidden tab). */
  get frames(): number {
    return this.#frames;
  }

  /** The source id of the speaker layout's large picture ('' when nobody spoke yet). */
  get speaker(): string {
    return this.#speaker;
  }

  /**
   * Sets the gain (1 = as is, 0 = silent) of a source id, a peer id (all its
   * streams) or `local`; it holds for streams that arrive later too.
   */
  setGain(id: string, gain: number): void {
    if (!Number.isFinite(gain) || gain < 0) throw new PeerixError('ERR_INVALID_ARGUMENT', 'gain must be a finite number ≥ 0');
    this.#gains.set(id, gain);
    for (const source of this.#sources.values()) this.#bus?.setGain(source.id, this.#gainOf(source));
  }

  /** Mixes a stream that no peer shares (a local file, a microphone not sent). Returns its id. */
  add(stream: MediaStream, { id = `local/${stream.id}`, name = '' }: { id?: string; name?: string } = {}): string {
    this.#start();
    this.#addSource({ id, owner: 'local', nameOf: () => name, stream, peer: null });
    return id;
  }

  /** Takes a source out of the mix. */
  remove(id: string): void {
    const source = this.#sources.get(id);
    if (!source) return;
    this.#sources.delete(id);
    for (const track of this.#bus?.tracksOf(id) ?? []) this.#bus!.remove(track);
    source.element.srcObject = null;
    this.#levels.delete(id);
  }

  /** Stops the mix: detaches from every peer and ends `mixer.stream`'s tracks. */
  destroy(): void {
    for (const peer of this.peers) peer.detach(this);
    for (const id of [...this.#sources.keys()]) this.remove(id);
    this.#stopTicker?.();
    this.#stopTicker = null;
    this.#stream?.getTracks().forEach((t) => t.stop());
    this.#bus?.close();
    this.#bus = null;
    this.#compositor = null;
  }

  override attach(peer: Peer): void {
    super.attach(peer);
    this.#start();
    this.listen(peer, 'stream:add', ({ remote, stream }) => this.#addRemote(peer, remote, stream));
    this.listen(peer, 'track:add', ({ remote, stream }) => this.#addRemote(peer, remote, stream));
    this.listen(peer, 'track:remove', ({ remote, stream }) => this.#sync(this.#sources.get(remoteKey(remote, stream))));
    this.listen(peer, 'stream:remove', ({ remote, stream }) => this.remove(remoteKey(remote, stream)));
    this.listen(peer, 'connection:closed', ({ remote }) => this.#removeWhere((s) => s.owner === remote.id));
    for (const remote of peer.connections.values()) for (const stream of remote.streams) this.#addRemote(peer, remote, stream);
    if (!this.#options.local) return;
    this.#undo.set(peer, [
      observeCalls(peer, 'share', (options: MediaStream | ShareOptions) => {
        const stream = options instanceof MediaStream ? options : options.stream;
        const label = options instanceof MediaStream ? stream.id : options.label ?? stream.id;
        this.#addLocal(peer, label, stream);
      }),
      observeCalls(peer, 'unshare', (target: MediaStream | string | { label: string }) => {
        const matches = (s: Source): boolean =>
          s.peer === peer && s.owner === 'local' && (target instanceof MediaStream ? s.stream === target : s.id === `local/${typeof target === 'string' ? target : target.label}`);
        this.#removeWhere(matches);
      }),
    ]);
  }

  override detach(peer: Peer): void {
    for (const undo of this.#undo.get(peer) ?? []) undo();
    this.#undo.delete(peer);
    this.#removeWhere((s) => s.peer === peer);
    super.detach(peer);
  }

  // ───────────────────────── sources ─────────────────────────

  #addRemote(peer: Peer, remote: RemotePeer, stream: MediaStream): void {
    const id = remoteKey(remote, stream);
    const existing = this.#sources.get(id);
    if (existing) return this.#sync(existing);
    const nameOf = (): string => (typeof remote.metadata.name === 'string' ? remote.metadata.name : remote.id.slice(0, 8));
    this.#addSource({ id, owner: remote.id, nameOf, stream, peer });
  }

  /** A local share; the same label again (a replace) swaps the stream in place. */
  #addLocal(peer: Peer, label: string, stream: MediaStream): void {
    const id = `local/${label}`;
    const existing = this.#sources.get(id);
    if (existing && existing.stream !== stream) {
      existing.stream = stream;
      return this.#sync(existing);
    }
    if (existing) return this.#sync(existing);
    const nameOf = (): string => (typeof peer.metadata.name === 'string' ? peer.metadata.name : 'You');
    this.#addSource({ id, owner: 'local', nameOf, stream, peer });
  }

  #addSource(init: Omit<Source, 'element' | 'shown'>): void {
    if (this.#sources.has(init.id)) this.remove(init.id);
    const element = document.createElement('video');
    // Muted: the mix plays the audio. Chrome only feeds a remote track into Web
    // Audio while some media element plays it, so the element carries audio too.
    element.muted = true;
    element.playsInline = true;
    const source: Source = { ...init, element, shown: [] };
    this.#sources.set(init.id, source);
    this.#sync(source);
  }

  /** Brings a source's element and audio inputs in line with its stream's live tracks. */
  #sync(source: Source | undefined): void {
    if (!source || !this.#bus) return;
    const live = source.stream.getTracks().filter((t) => t.readyState === 'live');
    if (!live.length) return this.remove(source.id);
    if (live.length !== source.shown.length || live.some((t, i) => t !== source.shown[i])) {
      source.shown = live;
      source.element.srcObject = new MediaStream(live);
      source.element.play().catch(() => {});
    }
    const audio = live.filter((t) => t.kind === 'audio');
    for (const track of this.#bus.tracksOf(source.id)) if (!audio.includes(track)) this.#bus.remove(track);
    for (const track of audio) this.#bus.add(source.id, track, this.#gainOf(source));
  }

  #removeWhere(test: (source: Source) => boolean): void {
    for (const source of [...this.#sources.values()]) if (test(source)) this.remove(source.id);
  }

  #gainOf(source: Source): number {
    return this.#gains.get(source.id) ?? this.#gains.get(source.owner) ?? this.#gains.get(source.stream.id) ?? 1;
  }

  // ───────────────────────── drawing ─────────────────────────

  #start(): MediaStream {
    if (this.#stream) return this.#stream;
    const { width, height, frameRate, background } = this.#options;
    this.#compositor = new Compositor(width, height);
    this.#compositor.background = background;
    this.#bus = new AudioBus();
    const video = this.#compositor.canvas.captureStream(frameRate).getVideoTracks()[0]!;
    this.#stream = new MediaStream([video, this.#bus.track]);
    this.#stopTicker = startTicker(1000 / frameRate, () => this.#frame());
    this.#frame();
    return this.#stream;
  }

  #frame(): void {
    if (!this.#compositor) return;
    for (const source of [...this.#sources.values()]) this.#sync(source);
    const withVideo = [...this.#sources.values()].filter((s) => s.shown.some((t) => t.kind === 'video'));
    const tiles: Tile[] = withVideo.map((s) => ({ video: s.element, name: this.#options.names ? s.nameOf() : '' }));
    if (this.#options.layout === 'speaker') this.#followSpeaker();
    const speaker = Math.max(0, withVideo.findIndex((s) => s.id === this.#speaker));
    this.#compositor.draw(tiles, this.#options.layout, speaker);
    this.#frames++;
  }

  /** Smoothed loudness per source; the speaker changes to one clearly louder, at most once per hold time. */
  #followSpeaker(): void {
    let loudest = '';
    let loudestLevel = 0;
    for (const id of this.#sources.keys()) {
      const level = 0.7 * (this.#levels.get(id) ?? 0) + 0.3 * (this.#bus?.level(id) ?? 0);
      this.#levels.set(id, level);
      if (level > loudestLevel) [loudest, loudestLevel] = [id, level];
    }
    const now = performance.now();
    const current = this.#sources.has(this.#speaker) ? (this.#levels.get(this.#speaker) ?? 0) : -1;
    if (!loudest || loudest === this.#speaker || loudestLevel < 0.003) return;
    if (current >= 0 && (now - this.#speakerSince < SPEAKER_HOLD_MS || loudestLevel < current * SPEAKER_MARGIN)) return;
    this.#speaker = loudest;
    this.#speakerSince = now;
  }
}

function remoteKey(remote: RemotePeer, stream: MediaStream): string {
  return `${remote.id}/${stream.id}`;
}
