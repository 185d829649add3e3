import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Peer } from '../src/index.js';
import { PeerixMember } from './member.js';
import { mediaStates } from './media-state.js';
import type { MediaChangeDetail, MediaErrorDetail } from './events.js';
import { srcObject } from './src-object.js';
import { controlStyles } from './shared.styles.js';
import { localMediaStyles } from './local-media.styles.js';

/** `idle`, `starting`, `live`, `denied` (permission refused), `no-device`, `error`. */
export type LocalMediaStatus = 'idle' | 'starting' | 'live' | 'denied' | 'no-device' | 'error';

function classify(error: unknown): MediaErrorDetail['reason'] {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError' || name === 'NotReadableError') return 'no-device';
  return 'error';
}

function stopAll(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/**
 * @summary Your camera and microphone: a muted, mirrored preview shared into the
 * room, with mute, camera off and device choice. The device menus follow hot-plugging;
 * a camera or microphone in use that is unplugged is replaced by another one of its
 * kind without leaving the call.
 * @tag peerix-local-media
 *
 * @attr label - The label the stream is shared under (default `camera`).
 * @attr muted - Reflected: the microphone is muted (visible to the other peers).
 * @attr camera-off - Reflected: the camera is off (visible to the other peers).
 * @attr status - Reflected, read-only: `idle`, `starting`, `live`, `denied`, `no-device` or `error`.
 * @attr manual - Do not ask for the camera by itself: call `start()`.
 * @attr video-device - The camera's `deviceId` (also set by the camera menu).
 * @attr audio-device - The microphone's `deviceId` (also set by the microphone menu).
 * @attr mute-label - Text of the mute button (default "Mute").
 * @attr camera-label - Text of the camera button (default "Camera off").
 * @attr camera-select-label - Label of the camera menu (default "Camera").
 * @attr microphone-select-label - Label of the microphone menu (default "Microphone").
 * @attr denied-text - Shown when access was refused.
 * @attr no-device-text - Shown when there is no camera or microphone.
 *
 * @prop {Peer | null} peer - A `Peer` to share into instead of the enclosing room's.
 * @prop {MediaStream | null} stream - The local stream (read-only).
 *
 * @fires peerix-media-change - The stream, `muted` or `cameraOff` changed. `detail: { stream, muted, cameraOff }`.
 * @fires peerix-media-error - The camera/microphone could not be opened, or the one in use was unplugged with none left to replace it (`no-device`). `detail: { reason: 'denied' | 'no-device' | 'error', error }`.
 *
 * @slot mute-label - Replaces the mute button's text.
 * @slot camera-label - Replaces the camera button's text.
 * @slot denied - Replaces the message shown when access was refused.
 * @slot no-device - Replaces the message shown when no device exists.
 *
 * @csspart preview - The box around the video.
 * @csspart video - The `<video>` preview.
 * @csspart status - The message over the preview (denied, no device, error).
 * @csspart controls - The row of controls.
 * @csspart button - Every button.
 * @csspart mute-button - The mute button.
 * @csspart camera-button - The camera button.
 * @csspart select - Both device menus.
 *
 * @cssprop --peerix-video-background - Background behind the video.
 * @cssprop --peerix-local-media-max-width - Widest the element gets (default 480px, so that without page CSS your preview does not fill the page; `none` lifts it).
 * @cssprop --peerix-video-aspect-ratio - Aspect ratio of the preview (default `4 / 3`).
 * @cssprop --peerix-video-fit - `object-fit` of the video (default `cover`).
 * @cssprop --peerix-local-video-transform - Transform of the preview (default `scaleX(-1)`, mirrored).
 * @cssprop --peerix-tile-radius - Corner radius.
 * @cssprop --peerix-gap - Space between controls.
 * @cssprop --peerix-control-background - Button and menu background.
 * @cssprop --peerix-control-active-background - Background of a pressed button.
 */
export class PeerixLocalMedia extends PeerixMember {
  static override styles = [controlStyles, localMediaStyles];

  @property() label = 'camera';
  @property({ type: Boolean, reflect: true }) muted = false;
  @property({ type: Boolean, reflect: true, attribute: 'camera-off' }) cameraOff = false;
  @property({ reflect: true }) status: LocalMediaStatus = 'idle';
  @property({ type: Boolean }) manual = false;
  @property({ attribute: 'video-device' }) videoDevice = '';
  @property({ attribute: 'audio-device' }) audioDevice = '';
  @property({ attribute: 'mute-label' }) muteLabel = 'Mute';
  @property({ attribute: 'camera-label' }) cameraLabel = 'Camera off';
  @property({ attribute: 'camera-select-label' }) cameraSelectLabel = 'Camera';
  @property({ attribute: 'microphone-select-label' }) microphoneSelectLabel = 'Microphone';
  @property({ attribute: 'denied-text' }) deniedText = 'Camera and microphone access was refused. Allow it in the site settings, then try again.';
  @property({ attribute: 'no-device-text' }) noDeviceText = 'No camera or microphone was found.';

  @state() private _stream: MediaStream | null = null;
  @state() private _devices: MediaDeviceInfo[] = [];

  #generation = 0;
  #shared: Peer | null = null;
  #roomHost: HTMLElement | null = null;
  #stoppedByLeave = false;
  /** Leaving the room releases the camera and microphone; joining again opens them. */
  #onRoomState = (event: Event): void => {
    if (event.target !== this.#roomHost) return;
    const { state } = (event as CustomEvent<{ state: string }>).detail;
    if (state === 'leaving' && (this._stream || this.status === 'starting')) {
      this.#stoppedByLeave = true;
      this.stop();
    } else if (state === 'joining' && this.#stoppedByLeave) {
      this.#stoppedByLeave = false;
      void this.start();
    }
  };
  /** A device plugged in or out: the menus follow, and a device in use that went away is replaced. */
  #onDeviceChange = (): void => this.#checkDevices();
  /** A track of ours ended without our asking (its device was unplugged, or the OS took it). */
  #onTrackEnded = (): void => this.#checkDevices();
  /** One device check at a time (an unplug fires both of the above). */
  #checking: Promise<void> = Promise.resolve();
  #checkDevices(): void {
    this.#checking = this.#checking.then(() => this.#refreshDevices()).then(() => this.#replaceGone()).catch(() => {});
  }

  /** The local stream, once the camera/microphone are open. */
  get stream(): MediaStream | null {
    return this._stream;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    navigator.mediaDevices?.addEventListener?.('devicechange', this.#onDeviceChange);
    if (this.hasUpdated && !this.manual) void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.#onDeviceChange);
    this.stop();
  }

  protected override firstUpdated(): void {
    // After this update, not inside it.
    if (!this.manual) void Promise.resolve().then(() => this.start());
  }

  protected override updated(changed: PropertyValues<this>): void {
    const stream = this._stream;
    if (changed.has('muted')) for (const t of stream?.getAudioTracks() ?? []) t.enabled = !this.muted;
    if (changed.has('cameraOff')) for (const t of stream?.getVideoTracks() ?? []) t.enabled = !this.cameraOff;
    if (changed.has('muted') || changed.has('cameraOff')) {
      if (this.#shared) mediaStates(this.#shared).setLocal({ muted: this.muted, cameraOff: this.cameraOff });
      if (this.hasUpdated && (changed.get('muted') !== undefined || changed.get('cameraOff') !== undefined)) this.#changed();
    }
    if (changed.has('label') && changed.get('label') !== undefined && this.#shared) {
      this.#shared.unshare(changed.get('label') as string);
      this.#share();
    }
  }

  /** Opens the camera and microphone (done by itself unless `manual`). */
  async start(): Promise<void> {
    if (this._stream || this.status === 'starting') return;
    const generation = ++this.#generation;
    if (!navigator.mediaDevices?.getUserMedia) {
      this.#failed(new DOMException('getUserMedia is not available (an insecure origin?)', 'NotFoundError'));
      return;
    }
    this.status = 'starting';
    let stream: MediaStream;
    try {
      stream = await this.#open();
    } catch (error) {
      if (generation === this.#generation) this.#failed(error);
      return;
    }
    if (generation !== this.#generation || !this.isConnected) {
      stopAll(stream);
      return;
    }
    for (const t of stream.getAudioTracks()) t.enabled = !this.muted;
    for (const t of stream.getVideoTracks()) t.enabled = !this.cameraOff;
    this.#watchTracks(stream);
    this._stream = stream;
    this.status = 'live';
    this.#share();
    this.#changed();
    void this.#refreshDevices();
  }

  /** Stops sharing and releases the camera and microphone. */
  stop(): void {
    this.#generation++;
    this.#unshare();
    stopAll(this._stream);
    this._stream = null;
    if (this.status === 'live' || this.status === 'starting') this.status = 'idle';
  }

  protected override peerAttached(peer: Peer): void {
    this.#shared = peer;
    this.#roomHost = this.peer ? null : (this.roomContext?.host ?? null);
    this.#roomHost?.addEventListener('peerix-state-change', this.#onRoomState);
    mediaStates(peer).setLocal({ muted: this.muted, cameraOff: this.cameraOff });
    this.#share();
  }

  protected override peerDetached(_peer: Peer): void {
    this.#roomHost?.removeEventListener('peerix-state-change', this.#onRoomState);
    this.#roomHost = null;
    this.#unshare();
    this.#shared = null;
  }

  #share(): void {
    if (this.#shared && this._stream) this.#shared.share({ label: this.label, stream: this._stream, managed: false });
  }

  #unshare(): void {
    if (this.#shared && this._stream) this.#shared.unshare(this.label);
  }

  async #open(): Promise<MediaStream> {
    const video: MediaTrackConstraints | boolean = this.videoDevice ? { deviceId: { exact: this.videoDevice } } : true;
    const audio: MediaTrackConstraints | boolean = this.audioDevice ? { deviceId: { exact: this.audioDevice } } : true;
    try {
      return await navigator.mediaDevices.getUserMedia({ video, audio });
    } catch (error) {
      if (classify(error) !== 'no-device') throw error;
      // One of the two may exist: take what there is.
      for (const constraints of [{ video }, { audio }]) {
        try {
          return await navigator.mediaDevices.getUserMedia(constraints);
        } catch {
          // try the next
        }
      }
      throw error;
    }
  }

  async #switch(kind: 'audio' | 'video', deviceId: string): Promise<void> {
    if (kind === 'audio') this.audioDevice = deviceId;
    else this.videoDevice = deviceId;
    const current = this._stream;
    if (!current) return void this.start();
    const generation = this.#generation;
    let fresh: MediaStream;
    try {
      fresh = await navigator.mediaDevices.getUserMedia({ [kind]: deviceId ? { deviceId: { exact: deviceId } } : true });
    } catch (error) {
      this.emit<MediaErrorDetail>('peerix-media-error', { reason: classify(error), error });
      return;
    }
    if (generation !== this.#generation || this._stream !== current) return stopAll(fresh);
    const track = kind === 'audio' ? fresh.getAudioTracks()[0] : fresh.getVideoTracks()[0];
    if (!track) return stopAll(fresh);
    track.enabled = kind === 'audio' ? !this.muted : !this.cameraOff;
    const kept = current.getTracks().filter((t) => t.kind !== kind);
    const next = new MediaStream([...kept, track]);
    this.#watchTracks(next);
    this._stream = next;
    this.#share(); // same label: the engine replaces the track in place
    for (const t of current.getTracks()) if (t.kind === kind) t.stop();
    this.#changed();
  }

  #watchTracks(stream: MediaStream): void {
    for (const t of stream.getTracks()) t.addEventListener('ended', this.#onTrackEnded);
  }

  /**
   * Replaces each track whose device is gone (its track ended, or its device left the
   * list) by another device of the same kind, keeping the call: the engine swaps the
   * track in place. With no device of that kind left, says so (`no-device`).
   */
  async #replaceGone(): Promise<void> {
    const stream = this._stream;
    if (!stream) return;
    for (const track of stream.getTracks()) {
      const kind = track.kind as 'audio' | 'video';
      const id = track.getSettings().deviceId;
      const all = this._devices.filter((d) => d.kind === `${kind}input`);
      const inputs = all.filter((d) => d.deviceId);
      // Ids hidden (no permission) tell nothing; no device of the kind at all means it is gone.
      const listed = !id || (all.length > 0 && inputs.length === 0) || inputs.some((d) => d.deviceId === id);
      if (track.readyState !== 'ended' && listed) continue;
      const next = inputs.find((d) => d.deviceId !== id);
      if (next) await this.#switch(kind, next.deviceId);
      else this.emit<MediaErrorDetail>('peerix-media-error', { reason: 'no-device', error: new DOMException(`the ${kind} device is gone`, 'NotFoundError') });
    }
  }

  async #refreshDevices(): Promise<void> {
    try {
      this._devices = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
    } catch {
      this._devices = [];
    }
  }

  #failed(error: unknown): void {
    const reason = classify(error);
    this.status = reason;
    this.emit<MediaErrorDetail>('peerix-media-error', { reason, error });
  }

  #changed(): void {
    this.emit<MediaChangeDetail>('peerix-media-change', { stream: this._stream, muted: this.muted, cameraOff: this.cameraOff });
  }

  #toggleMute = (): void => {
    this.muted = !this.muted;
  };

  #toggleCamera = (): void => {
    this.cameraOff = !this.cameraOff;
  };

  #retry = (): void => {
    this.status = 'idle';
    void this.start();
  };

  #renderSelect(kind: 'videoinput' | 'audioinput', label: string, current: string) {
    const devices = this._devices.filter((d) => d.kind === kind && d.deviceId);
    const active = (kind === 'videoinput' ? this._stream?.getVideoTracks() : this._stream?.getAudioTracks())?.[0];
    const selected = current || active?.getSettings().deviceId || '';
    const type = kind === 'videoinput' ? 'video' : 'audio';
    return html`<label part="label">
      <span>${label}</span>
      <select
        part="select"
        ?disabled=${devices.length === 0 || !this._stream}
        @change=${(e: Event) => void this.#switch(type, (e.target as HTMLSelectElement).value)}
      >
        ${devices.length === 0 ? html`<option value="">—</option>` : nothing}
        ${devices.map((d, i) => html`<option value=${d.deviceId} ?selected=${d.deviceId === selected}>${d.label || `${label} ${i + 1}`}</option>`)}
      </select>
    </label>`;
  }

  #renderStatus() {
    switch (this.status) {
      case 'denied':
        return html`<div class="status" part="status" role="alert">
          <div><slot name="denied">${this.deniedText}</slot><br /><button part="button retry-button" @click=${this.#retry}>Try again</button></div>
        </div>`;
      case 'no-device':
        return html`<p class="status" part="status" role="alert"><slot name="no-device">${this.noDeviceText}</slot></p>`;
      case 'error':
        return html`<p class="status" part="status" role="alert">The camera or microphone could not be opened.</p>`;
      default:
        return nothing;
    }
  }

  protected override render() {
    const stream = this._stream;
    const hasAudio = (stream?.getAudioTracks().length ?? 0) > 0;
    const hasVideo = (stream?.getVideoTracks().length ?? 0) > 0;
    return html`
      <div class="preview" part="preview">
        <video part="video" ${srcObject(stream)} .muted=${true} muted autoplay playsinline ?hidden=${!hasVideo || this.cameraOff} aria-hidden="true" tabindex="-1"></video>
        ${this.#renderStatus()}
      </div>
      <div class="controls" part="controls">
        <button part="button mute-button" aria-pressed=${this.muted ? 'true' : 'false'} ?disabled=${!hasAudio} @click=${this.#toggleMute}>
          <slot name="mute-label">${this.muteLabel}</slot>
        </button>
        <button part="button camera-button" aria-pressed=${this.cameraOff ? 'true' : 'false'} ?disabled=${!hasVideo} @click=${this.#toggleCamera}>
          <slot name="camera-label">${this.cameraLabel}</slot>
        </button>
        ${this.#renderSelect('videoinput', this.cameraSelectLabel, this.videoDevice)}
        ${this.#renderSelect('audioinput', this.microphoneSelectLabel, this.audioDevice)}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'peerix-local-media': PeerixLocalMedia;
  }
}
