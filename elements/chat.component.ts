import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Peer, RemotePeer } from '../src/index.js';
import { PeerixMember } from './member.js';
import { remoteName } from './names.js';
import type { ChatMessageDetail, UnreadDetail } from './events.js';
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
 *
 * @prop {Peer | null} peer - A `Peer` to chat through instead of the enclosing room's.
 * @prop {ChatEntry[]} messages - The messages (read-only).
 *
 * @fires peerix-chat-message - A message was sent or received. `detail: { text, name, time, local, remote? }`.
 * @fires peerix-unread - The unread count changed. `detail: { count }`.
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
 * @csspart button - Every button; the send button is also `send-button`.
 *
 * @cssprop --peerix-chat-background - Background of the chat.
 * @cssprop --peerix-chat-min-height - Smallest height of the message list.
 * @cssprop --peerix-chat-max-height - Largest height of the message list.
 * @cssprop --peerix-chat-local-color - Color of your own name.
 * @cssprop --peerix-unread-background - Unread badge background.
 * @cssprop --peerix-unread-color - Unread badge text color.
 */
export class PeerixChat extends PeerixMember {
  static override styles = [controlStyles, chatStyles];

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

  @state() private _messages: ChatEntry[] = [];
  @query('.log') private _log?: HTMLElement;
  @query('input') private _input?: HTMLInputElement;

  #outbox: Pending[] = [];
  #unsubscribe: (() => void) | null = null;

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

  /** Empties the message list. */
  clear(): void {
    this._messages = [];
  }

  protected override peerAttached(peer: Peer): void {
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
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
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
      <div class="log" part="log" role="log" aria-live="polite" aria-label=${this.heading} tabindex="0" ?hidden=${this.collapsed}>
        <ol>
          ${repeat(
            this._messages,
            (m) => m.id,
            (m) => html`<li class=${m.local ? 'local' : 'remote'} part=${m.local ? 'message local' : 'message remote'}>
              <span class="author" part="author">${m.name}</span><time part="time" datetime=${m.time.toISOString()}>${format(m.time)}</time>
              <p class="text" part="text">${m.text}</p>
            </li>`,
          )}
        </ol>
      </div>
      <form part="form" @submit=${this.#submit} ?hidden=${this.collapsed}>
        <input part="input" type="text" autocomplete="off" maxlength=${MAX_TEXT} aria-label=${this.inputLabel} placeholder=${this.placeholder} />
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
