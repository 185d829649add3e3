import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Peer, PeerixError, RemotePeer } from '../src/index.js';
import { PeerixMember } from './member.js';
import type { Transfer, TransferClient } from './file-transfers.js';
import { TransferHandle, renderTransfer } from './file-transfers-lazy.js';
import { parseSize } from './file-size.js';
import { transferStyles } from './file-transfer.styles.js';
import type { ErrorDetail, FileDetail } from './events.js';
import { controlStyles } from './shared.styles.js';
import { fileShareStyles } from './file-share.styles.js';

/**
 * @summary File sharing with everyone in the room (or one peer): drop files,
 * paste them or choose them; each is sent in slices over a data channel, with
 * progress and cancel at both ends and a SHA-256 check by the receiver. A
 * received file is offered as a download link, never previewed or opened.
 * @tag peerix-file-share
 *
 * @attr label - The data channel label (default `files`). A `<peerix-chat files>` on the same label shares the list.
 * @attr max-size - Largest file sent or accepted: bytes, or with a unit (`500k`, `64M`, `2G`; binary units). Default 2G.
 * @attr heading - Header text (default "Files").
 * @attr choose-label - Text of the file chooser's label (default "Choose files").
 * @attr drop-label - Text of the drop zone (default "Drop files here or paste them").
 *
 * @prop {Peer | null} peer - A `Peer` to send through instead of the enclosing room's.
 * @prop {Transfer[]} transfers - Every transfer on show, oldest first (read-only).
 *
 * @fires peerix-file - A file was received and verified, or a recipient confirmed one sent. `detail: { name, size, type, blob, remote, direction, checksum }`.
 * @fires peerix-error - A file was refused, a transfer failed, or a peer sent something malformed. `detail: { error, message, remote? }`.
 *
 * @slot heading - Replaces the header text.
 *
 * @csspart heading - The header.
 * @csspart drop-zone - The area that takes dropped and pasted files (focusable: paste there).
 * @csspart file-input - The `<input type="file" multiple>`.
 * @csspart list - The list of transfers.
 * @csspart transfer - Every transfer; also `incoming` or `outgoing`.
 * @csspart file - A transfer's content box.
 * @csspart file-name - The name of a file not (yet) downloadable.
 * @csspart file-link - The download link of a received file.
 * @csspart file-meta - Size, type and peer, as text.
 * @csspart file-status - What is happening or what went wrong; a failed one is also `file-error`.
 * @csspart progress - The progress bar.
 * @csspart button - Every button; cancel buttons are also `cancel-button`, the clear button `clear-button`.
 *
 * @cssprop --peerix-drop-zone-border - Border of the drop zone.
 * @cssprop --peerix-drop-zone-active-background - Drop zone background while files are dragged over it.
 * @cssprop --peerix-progress-color - Progress bar color.
 * @cssprop --peerix-link-color - Download link color.
 * @cssprop --peerix-error-color - Color of failure messages.
 */
export class PeerixFileShare extends PeerixMember implements TransferClient {
  static override styles = [controlStyles, transferStyles, fileShareStyles];

  @property() label = 'files';
  @property({ attribute: 'max-size' }) maxSize = '';
  @property() heading = 'Files';
  @property({ attribute: 'choose-label' }) chooseLabel = 'Choose files';
  @property({ attribute: 'drop-label' }) dropLabel = 'Drop files here or paste them';

  @state() private _dragging = false;
  @state() private _revision = 0;
  @state() private _announcement = '';

  #manager: TransferHandle | null = null;

  /** Every transfer on show, oldest first. */
  get transfers(): readonly Transfer[] {
    return this.#manager?.transfers ?? [];
  }

  /** `max-size` in bytes (Infinity when unset or unreadable). */
  get maxSizeBytes(): number {
    const bytes = parseSize(this.maxSize);
    return Number.isFinite(bytes) && bytes >= 0 ? bytes : Infinity;
  }

  /**
   * Sends `files` to every connected peer, or to the one whose id is `to`.
   * Returns the transfers (one per file and recipient); refused files come back failed, saying why.
   */
  send(files: Iterable<File>, options: { to?: string } = {}): Transfer[] {
    if (!this.#manager) {
      const error = new Error('peerix-file-share: not in a room (no peer yet); nothing was sent');
      this.emit<ErrorDetail>('peerix-error', { error, message: error.message });
      return [];
    }
    return this.#manager.send(files, options);
  }

  /** Stops a running transfer at both ends. */
  cancel(transfer: Transfer): void {
    this.#manager?.cancel(transfer);
  }

  /** Removes finished transfers from the list. */
  clearFinished(): void {
    this.#manager?.clearFinished();
  }

  // TransferClient
  transfersChanged(): void {
    this._revision++;
  }

  fileCompleted(t: Transfer): void {
    if (!t.blob || !t.remote) return;
    this._announcement = t.direction === 'in' ? `${t.name} received from ${t.peerName}` : `${t.name} sent to ${t.peerName}`;
    this.emit<FileDetail>('peerix-file', { name: t.name, size: t.size, type: t.type, blob: t.blob, remote: t.remote, direction: t.direction, checksum: t.checksum ?? '' });
  }

  transferError(error: PeerixError, remote?: RemotePeer): void {
    this.emit<ErrorDetail>('peerix-error', { error, message: error.message, ...(remote ? { remote } : {}) });
  }

  protected override peerAttached(peer: Peer): void {
    this.#manager = new TransferHandle(peer, this.label, this);
    this._revision++;
  }

  protected override peerDetached(_peer: Peer): void {
    this.#manager?.release();
    this.#manager = null;
    this._revision++;
  }

  protected override willUpdate(changed: PropertyValues): void {
    // A new label means another channel: re-attach.
    if (changed.has('label') && changed.get('label') !== undefined && this.#manager) {
      const peer = this.#manager.peer;
      this.peerDetached(peer);
      this.peerAttached(peer);
    }
    super.willUpdate(changed);
  }

  #picked = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    if (input.files?.length) this.send([...input.files]);
    input.value = '';
  };

  #dragOver = (event: DragEvent): void => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this._dragging = true;
  };

  #dragLeave = (): void => {
    this._dragging = false;
  };

  #drop = (event: DragEvent): void => {
    this._dragging = false;
    const files = event.dataTransfer?.files;
    if (!files?.length) return;
    event.preventDefault();
    this.send([...files]);
  };

  #paste = (event: ClipboardEvent): void => {
    const files = event.clipboardData?.files;
    if (!files?.length) return;
    event.preventDefault();
    this.send([...files]);
  };

  protected override render() {
    const transfers = this.transfers;
    return html`
      <div class="heading" part="heading"><slot name="heading">${this.heading}</slot></div>
      <div
        class="drop ${this._dragging ? 'dragging' : ''}"
        part="drop-zone"
        tabindex="0"
        role="group"
        aria-label=${this.dropLabel}
        @dragover=${this.#dragOver}
        @dragleave=${this.#dragLeave}
        @drop=${this.#drop}
        @paste=${this.#paste}
      >
        <span>${this.dropLabel}</span>
        <label class="choose">
          <span>${this.chooseLabel}</span>
          <input part="file-input" type="file" multiple @change=${this.#picked} />
        </label>
      </div>
      ${transfers.length
        ? html`<ul part="list" aria-label=${this.heading}>
              ${repeat(
                transfers,
                (t) => t.key,
                (t) => html`<li part=${t.direction === 'in' ? 'transfer incoming' : 'transfer outgoing'}>${renderTransfer(t, (x) => this.cancel(x))}</li>`,
              )}
            </ul>
            <button part="button clear-button" type="button" @click=${() => this.clearFinished()}>Clear finished</button>`
        : nothing}
      <div class="visually-hidden" role="status" aria-live="polite">${this._announcement}</div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'peerix-file-share': PeerixFileShare;
  }
}
