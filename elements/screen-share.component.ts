import { html } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Peer } from '../src/index.js';
import { PeerixMember } from './member.js';
import type { MediaErrorDetail, ScreenShareDetail } from './events.js';
import { controlStyles } from './shared.styles.js';
import { screenShareStyles } from './screen-share.styles.js';

/**
 * @summary A button that shares your screen into the room and stops sharing it,
 * also when the browser's own "Stop sharing" ends it.
 * @tag peerix-screen-share
 *
 * @attr label - The label the screen is shared under (default `screen`).
 * @attr sharing - Reflected, read-only: the screen is being shared.
 * @attr audio - Ask for the tab's/system's audio as well.
 * @attr button-label - Text of the button (default "Share screen").
 *
 * @prop {Peer | null} peer - A `Peer` to share into instead of the enclosing room's.
 * @prop {MediaStream | null} stream - The shared screen (read-only).
 *
 * @fires peerix-screen-share - Sharing started or stopped. `detail: { sharing, stream }`.
 * @fires peerix-media-error - The screen could not be captured (other than the user cancelling). `detail: { reason, error }`.
 *
 * @slot - Replaces the button's text.
 *
 * @csspart button - The toggle button (`aria-pressed` while sharing).
 *
 * @cssprop --peerix-control-background - Button background.
 * @cssprop --peerix-control-active-background - Button background while sharing.
 */
export class PeerixScreenShare extends PeerixMember {
  static override styles = [controlStyles, screenShareStyles];

  @property() label = 'screen';
  @property({ type: Boolean, reflect: true }) sharing = false;
  @property({ type: Boolean }) audio = false;
  @property({ attribute: 'button-label' }) buttonLabel = 'Share screen';

  @state() private _stream: MediaStream | null = null;
  #busy = false;
  #onEnded = (): void => this.stop();
  /** Also polled: a track stopped by script ends without an event, and Firefox does not deliver synthetic ones. */
  #watch: ReturnType<typeof setInterval> | undefined;

  /** The shared screen, while sharing. */
  get stream(): MediaStream | null {
    return this._stream;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  /** Asks for a screen and shares it (must run from a user gesture). */
  async start(): Promise<void> {
    if (this._stream || this.#busy) return;
    if (!navigator.mediaDevices?.getDisplayMedia) {
      this.emit<MediaErrorDetail>('peerix-media-error', { reason: 'no-device', error: new Error('getDisplayMedia is not available') });
      return;
    }
    this.#busy = true;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: this.audio });
    } catch (error) {
      // Cancelling the picker is a NotAllowedError: not worth an error event.
      if ((error as { name?: string }).name !== 'NotAllowedError') this.emit<MediaErrorDetail>('peerix-media-error', { reason: 'error', error });
      return;
    } finally {
      this.#busy = false;
    }
    if (!this.isConnected) {
      for (const t of stream.getTracks()) t.stop();
      return;
    }
    for (const track of stream.getVideoTracks()) track.addEventListener('ended', this.#onEnded);
    this.#watch = setInterval(() => {
      if (stream.getVideoTracks().every((t) => t.readyState === 'ended')) this.stop();
    }, 250);
    this._stream = stream;
    this.sharing = true;
    this.activePeer?.share({ label: this.label, stream, managed: false });
    this.emit<ScreenShareDetail>('peerix-screen-share', { sharing: true, stream });
  }

  /** Stops sharing and ends the capture. */
  stop(): void {
    const stream = this._stream;
    if (!stream) return;
    this._stream = null;
    this.sharing = false;
    clearInterval(this.#watch);
    for (const track of stream.getVideoTracks()) track.removeEventListener('ended', this.#onEnded);
    this.activePeer?.unshare(this.label);
    for (const track of stream.getTracks()) track.stop();
    this.emit<ScreenShareDetail>('peerix-screen-share', { sharing: false, stream: null });
  }

  protected override peerAttached(peer: Peer): void {
    if (this._stream) peer.share({ label: this.label, stream: this._stream, managed: false });
  }

  protected override peerDetached(peer: Peer): void {
    // Shared unmanaged: unsharing from an old peer leaves the capture running.
    if (this._stream) peer.unshare(this.label);
  }

  #click = (): void => {
    if (this._stream) this.stop();
    else void this.start();
  };

  protected override render() {
    return html`<button part="button" aria-pressed=${this.sharing ? 'true' : 'false'} @click=${this.#click}>
      <slot>${this.buttonLabel}</slot>
    </button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'peerix-screen-share': PeerixScreenShare;
  }
}
