import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Peer, PeerixError, RemotePeer } from '../src/index.js';
import { PeerixMember } from './member.js';
import { remoteName } from './names.js';
import type { ChatMessageDetail, ErrorDetail, FileDetail, UnreadDetail } from './events.js';
import type { Transfer, TransferClient } from './file-transfers.js';
import { TransferHandle, renderTransfer } from './file-transfers-lazy.js';
import { parseSize } from './file-size.js';
import { transferStyles } from './file-transfer.styles.js';
import { controlStyles } from './shared.styles.js';
import { chatStyles } from './chat.styles.js';

/** One line of the chat. */
export interface ChatEntry {
  id: number;
  text: string;
  name: string;
  time: Date;
  local: boolean;
  remoteId?: string;
  /** Set for a file sent or received (with `files`): the transfer, updated as it runs. */
  transfer?: Transfer;
}

interface Pending {
  payload: string;
  deliveredTo: Set<string>;
  firstDelivery: number;
}

const MAX_TEXT = 4000;
const MAX_MESSAGE = 16 * 1024;
/** Messages typed while alone go to every peer whose chat opens within this long of the first one (ms). */
const OUTBOX_GRACE = 10_000;

let nextId = 1;

/**
 * @summary Text chat over a data channel: names and times, Enter to send, an
 * unread count while hidden or collapsed; messages typed before anyone is
 * there are delivered when someone connects. Remote text is shown as text.
 * @tag peerix-chat
 *
 * @attr label - The data channel label (default `chat`).
 * @attr collapsed - Show only the header; incoming messages count as unread.
 * @attr hidden - Hidden; incoming messages count as unread.
 * @attr unread - Reflected, read-only: messages received while hidden or collapsed.
 * @attr max-messages - Messages kept (default 200).
 * @attr heading - Header text (default "Chat").
 * @attr input-label - Accessible label of the text field (default "Message").
 * @attr placeholder - Placeholder of the text field (default "Write a message…").
 * @attr send-label - Text of the send button (default "Send").
 * @attr you-label - Your name when the room has none (default "You").
 * @attr files - Adds an attach button (and drop and paste) that sends files; transfers show as chat entries (see `<peerix-file-share>`).
 * @attr files-label - The data channel label for files (default `files`, shared with `<peerix-file-share>`).
 * @attr max-size - With `files`: largest file sent or accepted (`64M`, `2G`, bytes; default 2G).
 * @attr attach-label - Accessible name of the attach button (default "Attach files").
 *
 * @prop {Peer | null} peer - A `Peer` to chat through instead of the enclosing room's.
 * @prop {ChatEntry[]} messages - The messages (read-only).
 *
 * @fires peerix-chat-message - A message was sent or received. `detail: { text, name, time, local, remote? }`.
 * @fires peerix-unread - The unread count changed. `detail: { count }`.
 * @fires peerix-file - With `files`: a file arrived verified, or a recipient confirmed one. `detail: { name, size, type, blob, remote, direction, checksum }`.
 * @fires peerix-error - With `files`: a file was refused or a transfer failed. `detail: { error, message, remote? }`.
 *
 * @slot heading - Replaces the header text.
 * @slot send-label - Replaces the send button's text.
 *
 * @csspart toggle - The header button that collapses and expands.
 * @csspart unread - The unread count badge.
 * @csspart log - The scrolling message list (a polite live region).
 * @csspart message - Every message; also `local` or `remote`.
 * @csspart author - A message's sender.
 * @csspart time - A message's time.
 * @csspart text - A message's text.
 * @csspart form - The form with the text field.
 * @csspart input - The text field.
 * @csspart button - Every button; the send button is also `send-button`, the attach button `attach-button`, cancel buttons `cancel-button`.
 * @csspart file-input - With `files`: the (hidden) `<input type="file" multiple>` the attach button opens.
 * @csspart file - A file entry's content; also `file-name` or `file-link` (a received, verified file), `file-meta`, `file-status`, `progress`.
 *
 * @cssprop --peerix-chat-background - Background of the chat.
 * @cssprop --peerix-chat-min-height - Smallest height of the message list.
 * @cssprop --peerix-chat-max-height - Largest height of the message list.
 * @cssprop --peerix-chat-local-color - Color of your own name.
 * @cssprop --peerix-unread-background - Unread badge background.
 * @cssprop --peerix-unread-color - Unread badge text color.
 */
export class PeerixChat extends PeerixMember implements TransferClient {
  static override styles = [controlStyles, transferStyles, chatStyles];

  @property() label = 'chat';
  @property({ type: Boolean, reflect: true }) collapsed = false;
  @property({ type: Boolean, reflect: true }) override hidden = false;
  @property({ type: Number, reflect: true }) unread = 0;
  @property({ type: Number, attribute: 'max-messages' }) maxMessages = 200;
  @property() heading = 'Chat';
  @property({ attribute: 'input-label' }) inputLabel = 'Message';
  @property() placeholder = 'Write a message…';
  @property({ attribute: 'send-label' }) sendLabel = 'Send';
  @property({ attribute: 'you-label' }) youLabel = 'You';
  @property({ type: Boolean, reflect: true }) files = false;
  @property({ attribute: 'files-label' }) filesLabel = 'files';
  @property({ attribute: 'max-size' }) maxSize = '';
  @property({ attribute: 'attach-label' }) attachLabel = 'Attach files';

  @state() private _messages: ChatEntry[] = [];
  @query('.log') private _log?: HTMLElement;
  @query('input[part="input"]') private _input?: HTMLInputElement;
  @query('input[type="file"]') private _fileInput?: HTMLInputElement;
  @state() private _fileRevision = 0;

  #outbox: Pending[] = [];
  #unsubscribe: (() => void) | null = null;
  #peer: Peer | null = null;
  #files: TransferHandle | null = null;
  #shownTransfers = new WeakSet<Transfer>();

  /** The messages on show, oldest first. */
  get messages(): ReadonlyArray<Readonly<ChatEntry>> {
    return this._messages;
  }

  /** Sends `text` to everyone in the room (or keeps it until someone connects). */
  send(text: string): void {
    const clean = text.trim().slice(0, MAX_TEXT);
    if (!clean) return;
    const time = new Date();
    const peer = this.activePeer;
    const name = this.#ownName(peer);
    this.#append({ id: nextId++, text: clean, name, time, local: true });
    this.emit<ChatMessageDetail>('peerix-chat-message', { text: clean, name, time, local: true });
    const payload = JSON.stringify({ text: clean, time: time.getTime() });
    const live = peer ? [...peer.connections.values()].filter((r) => r.state !== 'closed' && r.state !== 'failed') : [];
    if (peer && live.length > 0) peer.send(payload, { label: this.label }).catch(() => {});
    else this.#outbox.push({ payload, deliveredTo: new Set(), firstDelivery: 0 });
  }

  /**
   * With `files`: sends `files` to everyone (or the peer whose id is `to`); they show as chat entries.
   * Returns the transfers; refused files come back failed, saying why.
   */
  sendFiles(files: Iterable<File>, options: { to?: string } = {}): Transfer[] {
    return this.#files?.send(files, options) ?? [];
  }

  /** `max-size` in bytes (Infinity when unset or unreadable). */
  get maxSizeBytes(): number {
    const bytes = parseSize(this.maxSize);
    return Number.isFinite(bytes) && bytes >= 0 ? bytes : Infinity;
  }

  // TransferClient (with `files`)
  transfersChanged(): void {
    for (const t of this.#files?.transfers ?? []) {
      if (this.#shownTransfers.has(t)) continue;
      this.#shownTransfers.add(t);
      const local = t.direction === 'out';
      this.#append({ id: nextId++, text: '', name: local ? this.#ownName(this.activePeer) : t.peerName, time: t.started, local, remoteId: t.remote?.id, transfer: t });
      if (!local && (this.hidden || this.collapsed)) {
        this.unread++;
        this.emit<UnreadDetail>('peerix-unread', { count: this.unread });
      }
    }
    this._fileRevision++;
  }

  fileCompleted(t: Transfer): void {
    if (!t.blob || !t.remote) return;
    this.emit<FileDetail>('peerix-file', { name: t.name, size: t.size, type: t.type, blob: t.blob, remote: t.remote, direction: t.direction, checksum: t.checksum ?? '' });
  }

  transferError(error: PeerixError, remote?: RemotePeer): void {
    this.emit<ErrorDetail>('peerix-error', { error, message: error.message, ...(remote ? { remote } : {}) });
  }

  /** Empties the message list. */
  clear(): void {
    this._messages = [];
  }

  protected override peerAttached(peer: Peer): void {
    this.#peer = peer;
    this.#syncFiles();
    peer.open({ label: this.label, ordered: true });
    const onMessage = ({ remote, label, data }: { remote: RemotePeer; label: string; data: string | ArrayBuffer }) => {
      if (label === this.label) this.#receive(remote, data);
    };
    const onOpen = ({ remote, label }: { remote: RemotePeer; label: string }) => {
      if (label === this.label) this.#flush(remote);
    };
    peer.on('channel:message', onMessage);
    peer.on('channel:open', onOpen);
    this.#unsubscribe = () => {
      peer.off('channel:message', onMessage);
      peer.off('channel:open', onOpen);
    };
    for (const remote of peer.connections.values()) if (remote.channels.get(this.label)?.readyState === 'open') this.#flush(remote);
  }

  protected override peerDetached(_peer: Peer): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#peer = null;
    this.#syncFiles();
  }

  /** Attaches to the room's file transfers while `files` is on and there is a peer. */
  #syncFiles(): void {
    const want = this.files && this.#peer ? this.#peer : null;
    if (this.#files && (this.#files.peer !== want || this.#files.label !== this.filesLabel)) {
      this.#files.release();
      this.#files = null;
    }
    if (want && !this.#files) {
      this.#files = new TransferHandle(want, this.filesLabel, this);
      this.transfersChanged();
    }
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('files') || changed.has('filesLabel')) this.#syncFiles();
    if ((changed.has('hidden') || changed.has('collapsed')) && !this.hidden && !this.collapsed && this.unread) {
      this.unread = 0;
      this.emit<UnreadDetail>('peerix-unread', { count: 0 });
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('_messages') && this._log) this._log.scrollTop = this._log.scrollHeight;
  }

  #ownName(peer: Peer | null): string {
    const name = peer?.metadata?.name;
    return typeof name === 'string' && name ? name.slice(0, 64) : this.youLabel;
  }

  #flush(remote: RemotePeer): void {
    const now = Date.now();
    this.#outbox = this.#outbox.filter((p) => !p.firstDelivery || now - p.firstDelivery < OUTBOX_GRACE);
    for (const pending of this.#outbox) {
      if (pending.deliveredTo.has(remote.id)) continue;
      pending.deliveredTo.add(remote.id);
      pending.firstDelivery ||= now;
      remote.send(pending.payload, { label: this.label }).catch(() => {});
    }
  }

  #receive(remote: RemotePeer, data: string | ArrayBuffer): void {
    if (typeof data !== 'string' || data.length > MAX_MESSAGE) return;
    let text: unknown;
    try {
      text = (JSON.parse(data) as { text?: unknown } | null)?.text;
    } catch {
      return;
    }
    if (typeof text !== 'string' || !text) return;
    const entry: ChatEntry = { id: nextId++, text: text.slice(0, MAX_TEXT), name: remoteName(remote), time: new Date(), local: false, remoteId: remote.id };
    this.#append(entry);
    if (this.hidden || this.collapsed) {
      this.unread++;
      this.emit<UnreadDetail>('peerix-unread', { count: this.unread });
    }
    this.emit<ChatMessageDetail>('peerix-chat-message', { text: entry.text, name: entry.name, time: entry.time, local: false, remote });
  }

  #append(entry: ChatEntry): void {
    const messages = [...this._messages, entry];
    this._messages = messages.length > this.maxMessages ? messages.slice(-this.maxMessages) : messages;
  }

  #submit = (event: SubmitEvent): void => {
    event.preventDefault();
    const input = this._input;
    if (!input) return;
    this.send(input.value);
    input.value = '';
  };

  #picked = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    if (input.files?.length) this.sendFiles([...input.files]);
    input.value = '';
  };

  #paste = (event: ClipboardEvent): void => {
    const files = event.clipboardData?.files;
    if (!this.files || !files?.length) return;
    event.preventDefault();
    this.sendFiles([...files]);
  };

  #dragOver = (event: DragEvent): void => {
    if (!this.files || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  };

  #drop = (event: DragEvent): void => {
    const files = event.dataTransfer?.files;
    if (!this.files || !files?.length) return;
    event.preventDefault();
    this.sendFiles([...files]);
  };

  #toggle = (): void => {
    this.collapsed = !this.collapsed;
  };

  protected override render() {
    const format = (d: Date) => d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    return html`
      <button class="toggle" part="button toggle" aria-expanded=${this.collapsed ? 'false' : 'true'} @click=${this.#toggle}>
        <span><slot name="heading">${this.heading}</slot></span>
        ${this.unread
          ? html`<span class="unread" part="unread">${this.unread}<span class="visually-hidden"> unread</span></span>`
          : nothing}
      </button>
      <div
        class="log"
        part="log"
        role="log"
        aria-live="polite"
        aria-label=${this.heading}
        tabindex="0"
        ?hidden=${this.collapsed}
        @dragover=${this.#dragOver}
        @drop=${this.#drop}
      >
        <ol>
          ${repeat(
            this._messages,
            (m) => m.id,
            (m) => html`<li class=${m.local ? 'local' : 'remote'} part=${m.local ? 'message local' : 'message remote'}>
              <span class="author" part="author">${m.name}</span><time part="time" datetime=${m.time.toISOString()}>${format(m.time)}</time>
              ${m.transfer ? renderTransfer(m.transfer, (t) => this.#files?.cancel(t)) : html`<p class="text" part="text">${m.text}</p>`}
            </li>`,
          )}
        </ol>
      </div>
      <form part="form" @submit=${this.#submit} ?hidden=${this.collapsed} @dragover=${this.#dragOver} @drop=${this.#drop}>
        ${this.files
          ? html`<button part="button attach-button" type="button" aria-label=${this.attachLabel} title=${this.attachLabel} @click=${() => this._fileInput?.click()}>
                <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9" /></svg>
              </button>
              <input part="file-input" type="file" multiple hidden tabindex="-1" @change=${this.#picked} />`
          : nothing}
        <input part="input" type="text" autocomplete="off" maxlength=${MAX_TEXT} aria-label=${this.inputLabel} placeholder=${this.placeholder} @paste=${this.#paste} />
        <button part="button send-button" type="submit"><slot name="send-label">${this.sendLabel}</slot></button>
      </form>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'peerix-chat': PeerixChat;
  }
}
