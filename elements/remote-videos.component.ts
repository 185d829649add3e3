import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Peer, RemotePeer } from '../src/index.js';
import { PeerixMember } from './member.js';
import { mediaStates, type MediaStates } from './media-state.js';
import { remoteName } from './names.js';
import { srcObject } from './src-object.js';
import { controlStyles } from './shared.styles.js';
import { fullscreenIcon, pipIcon } from './icons.js';
import { QualityMonitor, qualityBadge, qualityStyles } from './connection-quality.js';
import { remoteVideosStyles } from './remote-videos.styles.js';
import type { SpeakingMeters, VideoRequests } from './remote-videos.lazy.js';

interface Tile {
  key: string;
  remote: RemotePeer;
  stream: MediaStream;
  label: string;
}

/**
 * @summary The other peers' streams: a tile each, with name, muted, camera-off,
 * speaking and connection indicators, in a grid that adapts to the count.
 * Screen shares are shown large. It asks each sender for only what it shows
 * (`RemotePeer.request`): no video for a tile off-screen or while the page is
 * hidden, and a lower resolution for a small tile.
 * @tag peerix-remote-videos
 *
 * @attr count - Reflected, read-only: the number of tiles.
 * @attr speaking - Reflected: someone is speaking.
 * @attr layout - `grid` (default: equal tiles) or `speaker` (one large tile — a screen share, else whoever spoke loudest last — above a strip of small ones).
 * @attr screen-label - The stream label shown large (default `screen`).
 * @attr max-videos - Video for at most this many camera tiles, those of the most recent speakers; the others show name and avatar and keep their sound, and their senders stop sending video to this peer (default 0: no limit; screen shares always keep theirs).
 * @attr speaking-threshold - Audio level (RMS, 0–1) above which someone is speaking (default 0.02).
 * @attr muted-text - Text of the muted badge (default "Muted").
 * @attr recording-text - Text of the badge on the tile of a peer who records the call (default "Recording").
 * @attr camera-off-text - Text of the camera-off badge (default "Camera off").
 * @attr empty-text - Shown while there is no remote stream (default "Waiting for others to join…").
 * @attr sound-blocked - Reflected, read-only: the browser refused to play the others' sound without a click; the videos play muted and a button asks for the click.
 * @attr autoplay-text - Text of that button (default "Click to enable sound").
 * @attr fullscreen-label - Name and tooltip of a tile's fullscreen button (default "Fullscreen"; the tile's name is added).
 * @attr exit-fullscreen-label - The same while that tile is fullscreen (default "Exit fullscreen").
 * @attr pip-label - Name and tooltip of a tile's picture-in-picture button (default "Picture in picture"; only where the browser has it).
 * @attr exit-pip-label - The same while that tile's video floats (default "Exit picture in picture").
 *
 * @prop {Peer | null} peer - A `Peer` to show instead of the enclosing room's.
 *
 * @slot empty - Replaces the text shown while nobody shares a stream.
 *
 * @csspart grid - The grid of tiles.
 * @csspart tile - Every tile (a `<figure>`); also `speaking`, `muted`, `camera-off`, `recording`, `screen` and `paused` (no video past `max-videos`) on tiles in that state, and `featured` on the large tile of the speaker layout.
 * @csspart video - Every remote `<video>`.
 * @csspart name - The sender's name.
 * @csspart badge - Every badge; also `muted-badge`, `camera-off-badge`, `recording-badge`, `state-badge`, `quality-badge` (with `good`, `fair` or `poor`).
 * @csspart avatar - The initial shown when the camera is off.
 * @csspart autoplay-prompt - The "Click to enable sound" button over the grid.
 * @csspart tile-actions - The buttons on a tile (shown on hover, on focus, and always on touch screens).
 * @csspart tile-button - Each of them; also `fullscreen-button`, `pip-button`.
 * @csspart empty - The text shown without tiles.
 *
 * @cssprop --peerix-tile-min-width - Narrowest tile before the grid wraps (default 220px).
 * @cssprop --peerix-strip-tile-width - Narrowest small tile under the large one in the speaker layout (default 140px).
 * @cssprop --peerix-speaking-color - Outline of a speaking tile.
 * @cssprop --peerix-video-background - Background behind videos.
 * @cssprop --peerix-video-aspect-ratio - Aspect ratio of camera tiles.
 * @cssprop --peerix-screen-aspect-ratio - Aspect ratio of screen tiles.
 * @cssprop --peerix-badge-background - Badge background.
 * @cssprop --peerix-badge-color - Badge text color.
 * @cssprop --peerix-recording-badge-background - Background of the "Recording" badge (default #c92a2a).
 * @cssprop --peerix-quality-good-color - Bars of the connection quality badge when the connection is good.
 * @cssprop --peerix-quality-fair-color - The same, when it is fair.
 * @cssprop --peerix-quality-poor-color - The same, when it is poor.
 * @cssprop --peerix-gap - Space between tiles.
 */
export class PeerixRemoteVideos extends PeerixMember {
  static override styles = [controlStyles, qualityStyles, remoteVideosStyles];

  @property({ type: Number, reflect: true }) count = 0;
  @property({ type: Boolean, reflect: true }) speaking = false;
  @property({ reflect: true }) layout: 'grid' | 'speaker' = 'grid';
  @property({ attribute: 'screen-label' }) screenLabel = 'screen';
  @property({ type: Number, attribute: 'max-videos' }) maxVideos = 0;
  @property({ type: Number, attribute: 'speaking-threshold' }) speakingThreshold = 0.02;
  @property({ attribute: 'muted-text' }) mutedText = 'Muted';
  @property({ attribute: 'camera-off-text' }) cameraOffText = 'Camera off';
  @property({ attribute: 'recording-text' }) recordingText = 'Recording';
  @property({ attribute: 'empty-text' }) emptyText = 'Waiting for others to join…';
  @property({ type: Boolean, reflect: true, attribute: 'sound-blocked' }) soundBlocked = false;
  @property({ attribute: 'autoplay-text' }) autoplayText = 'Click to enable sound';
  @property({ attribute: 'fullscreen-label' }) fullscreenLabel = 'Fullscreen';
  @property({ attribute: 'exit-fullscreen-label' }) exitFullscreenLabel = 'Exit fullscreen';
  @property({ attribute: 'pip-label' }) pipLabel = 'Picture in picture';
  @property({ attribute: 'exit-pip-label' }) exitPipLabel = 'Exit picture in picture';

  @state() private _tiles: Tile[] = [];
  @state() private _speaking = new Set<string>();
  /** The last loudest tile: the large one in the speaker layout. */
  @state() private _speaker = '';

  /** Each shown peer's connection quality from getStats (every 2 s while connected). */
  #quality = new QualityMonitor(this, () => new Set(this._tiles.map((t) => t.remote)));
  #unsubscribe: (() => void) | null = null;
  #states: MediaStates | null = null;
  /**
   * Receiver requests and speaking detection, loaded with the first tile (their own chunk):
   * until then the senders send everything, as they do unasked, and nobody is speaking yet.
   */
  #requests: VideoRequests | null = null;
  #meters: SpeakingMeters | null = null;
  #loading = false;
  /** Tiles whose video this element asked not to receive (`max-videos`): shown as camera-off. */
  @state() private _paused = new Set<string>();

  /** The remote streams on show. */
  get tiles(): ReadonlyArray<Readonly<Tile>> {
    return this._tiles;
  }

  #rerender = (): void => this.requestUpdate();

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('fullscreenchange', this.#rerender);
    this.#requests?.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('fullscreenchange', this.#rerender);
    this.#meters?.stop();
    this.#requests?.stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (!this.#requests) return;
    this.#requests.maxVideos = this.maxVideos > 0 ? Math.floor(this.maxVideos) : 0;
    const paused = this.#requests.paused(this._tiles.map((t) => ({ key: t.key, screen: t.label === this.screenLabel })));
    if (paused.size !== this._paused.size || [...paused].some((k) => !this._paused.has(k))) this._paused = paused;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (!this.#requests) return this.#loadTileCode();
    const root = this.renderRoot;
    this.#requests.tiles(
      this._tiles.map((t) => ({
        key: t.key,
        remote: t.remote,
        label: t.label,
        stream: t.stream,
        screen: t.label === this.screenLabel,
        element: root.querySelector(`figure[data-key="${CSS.escape(t.key)}"]`),
      })),
    );
  }

  /** Fetches the tile-time code (remote-videos.lazy.ts) once there is a tile; a failed load is retried on the next render. */
  #loadTileCode(): void {
    if (this.#loading || !this._tiles.length) return;
    this.#loading = true;
    import('./remote-videos.lazy.js').then(
      ({ VideoRequests, SpeakingMeters }) => {
        this.#requests = new VideoRequests();
        this.#meters = new SpeakingMeters({
          threshold: () => this.speakingThreshold,
          muted: (key) => this.#states?.get(this._tiles.find((t) => t.key === key)?.remote.id ?? '').muted ?? false,
          spoke: (key) => {
            this.#requests?.spoke(key);
            if (this.maxVideos > 0) this.requestUpdate();
          },
          heard: (speaking, speaker) => {
            // The speaker stays featured until someone else is louder (not when they pause).
            if (speaker && speaker !== this._speaker) this._speaker = speaker;
            if (speaking.size !== this._speaking.size || [...speaking].some((k) => !this._speaking.has(k))) {
              this._speaking = speaking;
              this.speaking = speaking.size > 0;
            }
          },
        });
        if (this.isConnected) this.#requests.start();
        this.#updateMeters();
        this.requestUpdate();
      },
      () => (this.#loading = false), // the next render tries again
    );
  }

  /** Starts a video; when the browser blocks it with sound, plays it muted and asks for a click. */
  #play = (event: Event): void => {
    const video = event.target as HTMLVideoElement;
    video.play().catch((error: { name?: string }) => {
      if (error?.name !== 'NotAllowedError' || video.muted) return;
      video.muted = true;
      this.soundBlocked = true;
      video.play().catch(() => {});
    });
  };

  /** The click the browser wanted: every video plays with sound. */
  #enableSound = (): void => {
    this.soundBlocked = false;
    for (const video of this.renderRoot.querySelectorAll('video')) {
      video.muted = false;
      video.play().catch(() => {});
    }
  };

  /** Shows `tile` fullscreen, or leaves fullscreen when it is. */
  #fullscreen(figure: HTMLElement): void {
    const result = this.shadowRoot?.fullscreenElement === figure ? document.exitFullscreen() : figure.requestFullscreen();
    result.catch(() => {}); // refused (no user gesture, or not allowed in this frame): nothing changes
  }

  /** Floats the tile's video in a picture-in-picture window, or brings it back. */
  #pip(video: HTMLVideoElement): void {
    const result = this.shadowRoot?.pictureInPictureElement === video ? document.exitPictureInPicture() : video.requestPictureInPicture();
    result.catch(() => {});
  }

  protected override peerAttached(peer: Peer): void {
    const states = mediaStates(peer);
    this.#states = states;
    const onStreamAdd = ({ remote, stream, label }: { remote: RemotePeer; stream: MediaStream; label: string }) => this.#add(remote, stream, label);
    const onStreamRemove = ({ stream, remote }: { remote: RemotePeer; stream: MediaStream }) => this.#remove((t) => t.remote === remote && t.stream === stream);
    const onTrack = () => this.#updateMeters();
    const onConnection = ({ remote, state }: { remote: RemotePeer; state: string }) => {
      if (state === 'closed') this.#remove((t) => t.remote === remote);
      else this.requestUpdate();
    };
    const onState = () => this.requestUpdate();
    peer.on('stream:add', onStreamAdd);
    peer.on('stream:remove', onStreamRemove);
    peer.on('track', onTrack);
    peer.on('connection', onConnection);
    states.on('change', onState);
    this.#unsubscribe = () => {
      peer.off('stream:add', onStreamAdd);
      peer.off('stream:remove', onStreamRemove);
      peer.off('track', onTrack);
      peer.off('connection', onConnection);
      states.off('change', onState);
    };
    // Late subscriber: replay what is already there.
    for (const remote of peer.connections.values()) {
      if (remote.state === 'closed') continue;
      for (const stream of remote.streams) this.#add(remote, stream, remote.labelOf(stream) ?? stream.id);
    }
  }

  protected override peerDetached(_peer: Peer): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#states = null;
    this.#set([]);
  }

  #add(remote: RemotePeer, stream: MediaStream, label: string): void {
    const key = `${remote.id}/${stream.id}`;
    if (this._tiles.some((t) => t.key === key)) return;
    const tile: Tile = { key, remote, stream, label };
    // Screen shares first: they are shown large.
    const tiles = label === this.screenLabel ? [tile, ...this._tiles] : [...this._tiles, tile];
    this.#set(tiles);
  }

  #remove(match: (tile: Tile) => boolean): void {
    const tiles = this._tiles.filter((t) => !match(t));
    if (tiles.length !== this._tiles.length) this.#set(tiles);
  }

  #set(tiles: Tile[]): void {
    this._tiles = tiles;
    this.count = tiles.length;
    this.#updateMeters();
  }

  #updateMeters(): void {
    if (this.isConnected) this.#meters?.update(this._tiles);
  }

  // ───────────────────────── rendering ─────────────────────────

  /** The large tile of the speaker layout: a screen share, else the last loudest, else the first. */
  #featured(): string {
    const tiles = this._tiles;
    if (this.layout !== 'speaker' || tiles.length < 2) return '';
    return (tiles.find((t) => t.label === this.screenLabel) ?? tiles.find((t) => t.key === this._speaker) ?? tiles[0]!).key;
  }

  #renderTile(tile: Tile, featured: boolean) {
    const { remote, stream, label } = tile;
    const screen = label === this.screenLabel;
    const state = this.#states?.get(remote.id) ?? { muted: false, cameraOff: false, recording: false };
    const recording = !screen && state.recording;
    const muted = !screen && state.muted;
    const cameraOff = !screen && state.cameraOff;
    const paused = this._paused.has(tile.key);
    const speaking = this._speaking.has(tile.key);
    const name = remoteName(remote);
    const connected = remote.state === 'connected';
    const parts = ['tile', featured && 'featured', screen && 'screen', muted && 'muted', cameraOff && 'camera-off', speaking && 'speaking', recording && 'recording', paused && 'paused'].filter(Boolean).join(' ');
    return html`<figure
      class=${screen ? 'tile screen' : 'tile'}
      part=${parts}
      ?speaking=${speaking}
      ?muted=${muted}
      ?camera-off=${cameraOff}
      ?recording=${recording}
      ?featured=${featured}
      ?paused=${paused}
      data-key=${tile.key}
      data-peer=${remote.id}
      data-label=${label}
      data-state=${remote.state}
    >
      <video
        part="video"
        ${srcObject(stream)}
        autoplay
        playsinline
        ?hidden=${cameraOff || paused}
        @loadedmetadata=${this.#play}
        @enterpictureinpicture=${this.#rerender}
        @leavepictureinpicture=${this.#rerender}
      ></video>
      ${cameraOff || paused ? html`<div class="avatar" part="avatar" aria-hidden="true">${name.slice(0, 1).toUpperCase()}</div>` : nothing}
      <figcaption>
        <span class="badge" part="name">${screen ? `${name} (${label})` : name}</span>
        ${screen || !connected ? nothing : qualityBadge(this.#quality.of(remote))}
        ${muted ? html`<span class="badge" part="badge muted-badge">${this.mutedText}</span>` : nothing}
        ${cameraOff ? html`<span class="badge" part="badge camera-off-badge">${this.cameraOffText}</span>` : nothing}
        ${recording ? html`<span class="badge recording" part="badge recording-badge">${this.recordingText}</span>` : nothing}
        ${connected ? nothing : html`<span class="badge" part="badge state-badge">${remote.state}</span>`}
        ${speaking ? html`<span class="visually-hidden">speaking</span>` : nothing}
      </figcaption>
      ${this.#renderActions(tile, name)}
    </figure>`;
  }

  #renderActions(tile: Tile, name: string) {
    const root = this.shadowRoot;
    const figure = () => root?.querySelector<HTMLElement>(`figure[data-key="${CSS.escape(tile.key)}"]`);
    const isFull = !!root?.fullscreenElement && root.fullscreenElement === figure();
    const isPip = !!root?.pictureInPictureElement && root.pictureInPictureElement === figure()?.querySelector('video');
    const full = isFull ? this.exitFullscreenLabel : this.fullscreenLabel;
    const pip = isPip ? this.exitPipLabel : this.pipLabel;
    return html`<div class="actions" part="tile-actions">
      ${document.fullscreenEnabled
        ? html`<button part="tile-button fullscreen-button" type="button" aria-label="${full}: ${name}" title=${full} @click=${() => this.#fullscreen(figure()!)}>${fullscreenIcon}</button>`
        : nothing}
      ${document.pictureInPictureEnabled
        ? html`<button part="tile-button pip-button" type="button" aria-label="${pip}: ${name}" title=${pip} @click=${() => this.#pip(figure()!.querySelector('video')!)}>${pipIcon}</button>`
        : nothing}
    </div>`;
  }

  protected override render() {
    if (this._tiles.length === 0) return html`<p class="empty" part="empty"><slot name="empty">${this.emptyText}</slot></p>`;
    const featured = this.#featured();
    return html`${this.soundBlocked
        ? html`<button part="button autoplay-prompt" class="prompt" type="button" @click=${this.#enableSound}>${this.autoplayText}</button>`
        : nothing}<div class="grid" part="grid">${repeat(this._tiles, (t) => t.key, (t) => this.#renderTile(t, t.key === featured))}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'peerix-remote-videos': PeerixRemoteVideos;
  }
}
