import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Peer } from '../src/index.js';
import { PeerixError } from '../src/index.js';
import type { MixerLayout } from '../src/addons/mixer/index.js';
import type { RecordingSession } from './recording-session.js';
import { PeerixMember } from './member.js';
import { mediaStates } from './media-state.js';
import { formatSize } from './file-size.js';
import type { ErrorDetail, RecordingDetail } from './events.js';
import { controlStyles } from './shared.styles.js';
import { recordButtonStyles } from './record-button.styles.js';

/**
 * @summary Records the call in the browser (every picture on a grid, every
 * voice mixed) and offers the file for download when it stops. While it
 * records, every peer is told, so their tiles and conference headers show it.
 * @tag peerix-record-button
 *
 * @attr recording - Reflected, read-only: this page is recording.
 * @attr layout - The recording's layout: `grid` (default) or `speaker` (the loudest large).
 * @attr width - Width of the recorded picture in pixels (default 960).
 * @attr height - Height of the recorded picture in pixels (default 540).
 * @attr frame-rate - Frames per second drawn and recorded (default 15).
 * @attr filename - Download name without extension (default `recording`); the date and the container's extension are added.
 * @attr start-label - Accessible name and tooltip while idle (default "Start recording").
 * @attr stop-label - Accessible name and tooltip while recording (default "Stop recording").
 *
 * @prop {Peer | null} peer - A `Peer` to record instead of the enclosing room's.
 *
 * @fires peerix-recording - Recording stopped: `detail: { blob, mimeType, duration }` (`duration` in ms).
 * @fires peerix-error - Recording could not start or failed. `detail: { error, message }`.
 *
 * @slot - Replaces the button's icon.
 *
 * @csspart button - The button; also `record-button`.
 * @csspart download-link - The link to the last recording.
 *
 * @cssprop --peerix-recording-color - The record dot's color while recording.
 */
export class PeerixRecordButton extends PeerixMember {
  static override styles = [controlStyles, recordButtonStyles];

  @property({ type: Boolean, reflect: true }) recording = false;
  @property() layout: MixerLayout = 'grid';
  @property({ type: Number }) width = 960;
  @property({ type: Number }) height = 540;
  @property({ type: Number, attribute: 'frame-rate' }) frameRate = 15;
  @property() filename = 'recording';
  @property({ attribute: 'start-label' }) startLabel = 'Start recording';
  @property({ attribute: 'stop-label' }) stopLabel = 'Stop recording';

  @state() private _download: { url: string; name: string; size: number } | null = null;
  @state() private _busy = false;

  #session: RecordingSession | null = null;
  #peer: Peer | null = null;
  #startedAt = 0;

  /**
   * Starts recording the room (needs a peer). The recording code (with the Mixer and
   * Recorder add-ons) loads on the first start; resolves once recording runs.
   */
  async start(): Promise<void> {
    const peer = this.#peer;
    if (this.recording || this._busy) return;
    if (!peer) return this.#fail(new PeerixError('ERR_INVALID_STATE', 'peerix-record-button: not in a room; nothing to record'));
    this._busy = true;
    try {
      const { startRecording } = await import('./recording-session.js');
      // Detached, or moved to another room, while the code loaded: nothing to record.
      if (peer !== this.#peer) return;
      const options = { layout: this.layout, width: this.width, height: this.height, frameRate: this.frameRate };
      this.#session = startRecording(peer, options, (error) => this.#fail(error), () => {
        if (this.recording) void this.stop();
      });
    } catch (error) {
      return this.#fail(error);
    } finally {
      this._busy = false;
    }
    this.#startedAt = performance.now();
    this.recording = true;
    mediaStates(peer).setLocal({ recording: true });
  }

  /** Stops recording; resolves to the recording (null when none was running). */
  async stop(): Promise<Blob | null> {
    const session = this.#session;
    if (!session || this._busy) return null;
    this._busy = true;
    const duration = performance.now() - this.#startedAt;
    try {
      const { blob, mimeType } = await session.stop();
      this.#offer(blob, mimeType);
      this.emit<RecordingDetail>('peerix-recording', { blob, mimeType, duration });
      return blob;
    } finally {
      this.#session = null;
      this.recording = false;
      this._busy = false;
      if (this.#peer) mediaStates(this.#peer).setLocal({ recording: false });
    }
  }

  protected override peerAttached(peer: Peer): void {
    this.#peer = peer;
  }

  protected override peerDetached(peer: Peer): void {
    if (this.recording) void this.stop();
    this.#peer = null;
    mediaStates(peer).setLocal({ recording: false });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this._download) URL.revokeObjectURL(this._download.url);
    this._download = null;
  }

  #offer(blob: Blob, mimeType: string): void {
    if (this._download) URL.revokeObjectURL(this._download.url);
    const extension = mimeType.includes('mp4') ? 'mp4' : 'webm';
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    this._download = { url: URL.createObjectURL(blob), name: `${this.filename}-${stamp}.${extension}`, size: blob.size };
  }

  #fail(error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    this.emit<ErrorDetail>('peerix-error', { error: err, message: err.message });
  }

  #toggle = (): void => {
    void (this.recording ? this.stop() : this.start());
  };

  protected override render() {
    const label = this.recording ? this.stopLabel : this.startLabel;
    return html`
      <button
        part="button record-button"
        type="button"
        aria-pressed=${this.recording ? 'true' : 'false'}
        aria-label=${label}
        title=${label}
        ?disabled=${this._busy || !this.activePeer}
        @click=${this.#toggle}
      >
        <slot>
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="2" />
            <circle class="dot" cx="12" cy="12" r=${this.recording ? 4 : 5} fill="currentColor" />
          </svg>
        </slot>
      </button>
      ${this._download && !this.recording
        ? html`<a part="download-link" href=${this._download.url} download=${this._download.name}>Download recording (${formatSize(this._download.size)})</a>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'peerix-record-button': PeerixRecordButton;
  }
}
