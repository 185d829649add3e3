import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Driver, Peer } from '../src/index.js';
import type { PeerixRoom } from './room.component.js';
import { mediaStates, type MediaStates } from './media-state.js';
import { srcObject } from './src-object.js';
import { controlStyles } from './shared.styles.js';
import { conferenceStyles } from './conference.styles.js';
import { cameraIcon, cameraOffIcon, chatIcon, gridIcon, leaveIcon, linkIcon, micIcon, micOffIcon, screenIcon, speakerIcon } from './icons.js';
import type { PeerixLocalMedia } from './local-media.component.js';
import type { PeerixScreenShare } from './screen-share.component.js';
import type { PeerixChat } from './chat.component.js';
import './room.js';
import './local-media.js';
import './remote-videos.js';
import './chat.js';
import './screen-share.js';
import './record-button.js';

/** The control bar's accessible names and tooltips: each says what a press does. */
export interface ConferenceLabels {
  mute: string;
  unmute: string;
  cameraOff: string;
  cameraOn: string;
  share: string;
  stopShare: string;
  showChat: string;
  hideChat: string;
  speakerView: string;
  gridView: string;
  copyLink: string;
  linkCopied: string;
  /** The pre-join screen's name field and button. */
  yourName: string;
  join: string;
  /** Caption of your own tile, before your name. */
  you: string;
  /** Your tile's badges. */
  muted: string;
  cameraIsOff: string;
  /** Caption of the preview of what you share on screen. */
  yourScreen: string;
}

const LABELS: ConferenceLabels = {
  mute: 'Mute',
  unmute: 'Unmute',
  cameraOff: 'Turn camera off',
  cameraOn: 'Turn camera on',
  share: 'Share screen',
  stopShare: 'Stop sharing',
  showChat: 'Show chat',
  hideChat: 'Hide chat',
  speakerView: 'Speaker view',
  gridView: 'Grid view',
  copyLink: 'Copy invite link',
  linkCopied: 'Link copied',
  yourName: 'Your name',
  join: 'Join',
  you: 'You',
  muted: 'Muted',
  cameraIsOff: 'Camera off',
  yourScreen: 'Your screen',
};

function param(name: string): string {
  if (typeof location === 'undefined') return '';
  return (new URLSearchParams(location.search).get(name) ?? '').trim().slice(0, 64);
}

/**
 * @summary A whole mesh video call in one tag: a dark stage with the others'
 * videos and your own small tile, a bar of icon buttons (microphone, camera,
 * screen, record, chat, leave) and a chat beside the stage.
 * @tag peerix-conference
 *
 * @attr driver - Forwarded to `<peerix-room>`; the property also accepts a `Driver` instance.
 * @attr url - Forwarded to `<peerix-room>`.
 * @attr room - The room; without it, the page's `?room=` parameter, else `peerix`.
 * @attr name - Your name; without it, the page's `?name=` parameter; without either, a pre-join screen asks for it (empty: a random "Guest nnnn").
 * @attr prefix - Forwarded to `<peerix-room>`.
 * @attr secret - Forwarded to `<peerix-room>`.
 * @attr ice-servers - Forwarded to `<peerix-room>` (JSON).
 * @attr token - Forwarded to `<peerix-room>`.
 * @attr key - Forwarded to `<peerix-room>`.
 * @attr manual - Forwarded to `<peerix-room>`: wait for the Join button.
 * @attr state - Reflected, read-only: the room's state.
 * @attr leave-label - Accessible name and tooltip of the leave button (default "Leave").
 * @attr join-label - Accessible name and tooltip of the join button (default "Join").
 * @attr left-text - Shown on the stage after leaving (default "You left the call.").
 * @attr rejoin-label - Text of the button on the stage that joins again (default "Rejoin").
 * @attr theme - `light` (default: light panels beside the dark stage) or `dark` (dark panels too).
 * @attr recording - Adds a `<peerix-record-button>` to the control bar (the call is recorded in your browser; everyone sees that you record).
 * @attr files - Lets the chat send files (`<peerix-chat files>`).
 * @attr recording-text - The header's notice while anyone in the call records (default "Recording").
 * @attr others-recording - Reflected, read-only: someone in the call (you included) is recording.
 * @attr prejoin - Reflected, read-only: the pre-join screen is shown (camera preview with device menus, name field, Join); set while neither `name` nor `?name=` gives a name, until Join.
 * @attr invite-url - The link the "Copy invite link" button copies (default: this page with `?room=` set and `?name=` removed).
 * @attr layout - Reflected: `grid` (default) or `speaker` (the loudest, or a shared screen, large above a strip); the layout button switches it.
 * @attr chat-open - Reflected: the chat panel is shown (the chat button toggles it; open by default, closed by default on screens up to 720px wide, where it is a drawer over the stage).
 *
 * @prop {Partial<ConferenceLabels>} labels - The control bar's names and tooltips (`mute`, `unmute`, `cameraOff`, `cameraOn`, `share`, `stopShare`, `showChat`, `hideChat`, `speakerView`, `gridView`, `copyLink`, `linkCopied`), the pre-join screen's `yourName` and `join`, your tile's caption `you` and its badges `muted`, `cameraIsOff`, the screen preview's caption `yourScreen`; given keys replace the English defaults.
 *
 * @fires peerix-state-change - Bubbles up from the inner room, as do all of `<peerix-room>`'s events.
 *
 * @csspart room - The inner `<peerix-room>`.
 * @csspart header - The bar above the stage: participant count and the recording notice.
 * @csspart participants - The participant count.
 * @csspart copy-link - The header's "Copy invite link" button.
 * @csspart copy-status - "Link copied" (or the link itself when the clipboard refused), a polite live region.
 * @csspart prejoin - The pre-join form under the camera preview: name field and Join button.
 * @csspart name-input - The pre-join name field.
 * @csspart join-button - The pre-join Join button.
 * @csspart recording-indicator - The notice shown while anyone records (a polite live region).
 * @csspart stage - The dark area with the remote videos and your own tile.
 * @csspart remote-videos - The `<peerix-remote-videos>`.
 * @csspart self-view - Your own tile in the stage's corner: your camera and its caption.
 * @csspart local-media - The `<peerix-local-media>` inside your tile (its own buttons hidden: the control bar has them).
 * @csspart self-name - Your tile's caption, "You (name)".
 * @csspart self-badge - The "Muted" and "Camera off" badges on your tile.
 * @csspart screen-preview - While you share your screen: what you share, as a small tile in the stage's other bottom corner, captioned "Your screen".
 * @csspart screen-video - Its muted `<video>`.
 * @csspart left - The stage's message after leaving, with the rejoin button.
 * @csspart rejoin-button - The button that joins again after leaving.
 * @csspart sidebar - The column with the chat.
 * @csspart chat - The `<peerix-chat>`.
 * @csspart controls - The control bar (a labelled group of buttons).
 * @csspart control - Every icon button in the bar; also `mic-button`, `camera-button`, `screen-button`, `layout-button`, `chat-button`, `leave-button` (and `join` on it while not in the call).
 * @csspart unread - The unread count on the chat button while the chat is hidden.
 * @csspart screen-share - The (hidden) `<peerix-screen-share>` that the screen button drives.
 * @csspart record-button - The `<peerix-record-button>` (with `recording`).
 *
 * @cssprop --peerix-sidebar-width - Width of the chat panel (default 320px).
 * @cssprop --peerix-stage-background - Background of the stage (default near-black, in both themes).
 * @cssprop --peerix-stage-color - Text color on the stage.
 * @cssprop --peerix-stage-min-height - Smallest height of the stage (default 16rem).
 * @cssprop --peerix-self-view-width - Width of your own tile (default 22% of the stage, 112–240px).
 * @cssprop --peerix-drawer-background - Background of the chat drawer on narrow screens (default white; dark theme #25262b).
 * @cssprop --peerix-conference-background - Background of the whole conference (dark theme: #1a1b1e).
 * @cssprop --peerix-leave-background - Background of the leave button (default #c92a2a).
 * @cssprop --peerix-join-background - Background of the same button while not in the call (default #237032).
 * @cssprop --peerix-chat-open-background - Background of the chat button while the chat is shown (default #1864ab).
 * @cssprop --peerix-recording-color - Color of the recording notice.
 * @cssprop --peerix-gap - Space between the parts.
 * @cssprop --peerix-font-family - Font of the whole call.
 */
export class PeerixConference extends LitElement {
  static override styles = [controlStyles, conferenceStyles];

  @property() driver: string | Driver = 'broadcast-channel';
  @property() url = '';
  @property() room = '';
  @property() name = '';
  /** Put in front of every topic on the broker (shadows the unused DOM `Element.prefix`). */
  @property() override prefix = '';
  @property() secret = '';
  @property({ attribute: 'ice-servers' }) iceServers = '';
  @property() token = '';
  @property() key = '';
  @property({ type: Boolean }) manual = false;
  @property({ reflect: true }) state = 'idle';
  @property({ attribute: 'leave-label' }) leaveLabel = 'Leave';
  @property({ attribute: 'join-label' }) joinLabel = 'Join';
  @property({ attribute: 'left-text' }) leftText = 'You left the call.';
  @property({ attribute: 'rejoin-label' }) rejoinLabel = 'Rejoin';
  @property({ reflect: true }) theme: 'light' | 'dark' = 'light';
  @property({ type: Boolean }) recording = false;
  @property({ type: Boolean }) files = false;
  @property({ attribute: 'recording-text' }) recordingText = 'Recording';
  @property({ type: Boolean, reflect: true, attribute: 'others-recording' }) othersRecording = false;
  @property({ type: Boolean, reflect: true, attribute: 'chat-open' }) chatOpen = true;
  @property({ reflect: true }) layout: 'grid' | 'speaker' = 'grid';
  @property({ type: Boolean, reflect: true }) prejoin = false;
  @property({ attribute: 'invite-url' }) inviteUrl = '';
  @state() private _copied = '';
  @property({ attribute: false }) labels: Partial<ConferenceLabels> = {};
  @state() private _participants = 1;
  #states: MediaStates | null = null;
  #watched: Peer | null = null;

  @state() private _fallbackName = '';
  /** Left by the user (not before the first join): the stage says so and offers to rejoin. */
  @state() private _left = false;
  @query('peerix-room') private _room?: PeerixRoom;
  @query('peerix-local-media') private _media?: PeerixLocalMedia;
  @query('peerix-screen-share') private _screen?: PeerixScreenShare;
  @query('peerix-chat') private _chat?: PeerixChat;

  /** The inner `<peerix-room>`. */
  get roomElement(): PeerixRoom | null {
    return this._room ?? null;
  }

  /** The inner room's `Peer`. */
  get peer(): Peer | null {
    return this._room?.peer ?? null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this._fallbackName) {
      this.prejoin = !this.name && !param('name');
      // Phones start with the chat drawer closed, unless the page asked for it open.
      if (!this.hasAttribute('chat-open') && matchMedia('(max-width: 720px)').matches) this.chatOpen = false;
    }
    this._fallbackName ||= param('name') || `Guest ${Math.floor(1000 + Math.random() * 9000)}`;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('name') && this.name) this.prejoin = false;
  }

  /** The link to this call: `invite-url`, else this page with `?room=` and without `?name=`. */
  get inviteLink(): string {
    if (this.inviteUrl || typeof location === 'undefined') return this.inviteUrl;
    const url = new URL(location.href);
    url.searchParams.set('room', this.room || param('room') || 'peerix');
    url.searchParams.delete('name');
    return url.href;
  }

  #copy = async (): Promise<void> => {
    const link = this.inviteLink;
    const t = { ...LABELS, ...this.labels };
    try {
      await navigator.clipboard.writeText(link);
      this._copied = t.linkCopied;
    } catch {
      // No clipboard (insecure page, or refused): show the link to copy by hand.
      this._copied = link;
    }
  };

  #join = (event: Event): void => {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('[part~="name-input"]');
    const typed = input?.value.trim().slice(0, 64);
    if (typed) this._fallbackName = typed;
    this.prejoin = false;
    void this.updateComplete.then(() => this.join());
  };

  /** Joins (again). */
  join(): Promise<void> {
    return this._room?.join() ?? Promise.resolve();
  }

  /** Leaves the call (says goodbye to the others). */
  leave(): Promise<void> {
    return this._room?.leave() ?? Promise.resolve();
  }

  /** Follows the room's peer: who is here and whether anyone records. */
  #watch(): void {
    const peer = this.peer;
    if (peer === this.#watched) return this.#recount();
    this.#states?.off('change', this.#recount);
    this.#watched = peer;
    this.#states = peer ? mediaStates(peer) : null;
    this.#states?.on('change', this.#recount);
    this.#recount();
  }

  #recount = (): void => {
    const peer = this.#watched;
    const remotes = peer ? [...peer.connections.values()].filter((r) => r.state === 'connected') : [];
    this._participants = 1 + remotes.length;
    const states = this.#states;
    this.othersRecording = !!states && (states.local.recording || remotes.some((r) => states.get(r.id).recording));
  };

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#states?.off('change', this.#recount);
    this.#states = null;
    this.#watched = null;
  }

  #onState = (event: CustomEvent<{ state: string }>): void => {
    if (event.target !== this._room) return;
    this.#watch();
    this.state = event.detail.state;
    if (this.state === 'leaving') this._left = true;
    else if (this.state === 'joining' || this.state === 'joined') this._left = false;
  };

  #rejoin = (): void => {
    void this.join();
  };

  #toggle = (): void => {
    void (this.state === 'joined' || this.state === 'joining' ? this.leave() : this.join());
  };

  /** The inner elements changed state (media, screen, unread): the bar shows it. */
  #refresh = (): void => this.requestUpdate();

  #toggleMic = (): void => {
    const media = this._media;
    if (media) media.muted = !media.muted;
  };

  #toggleCamera = (): void => {
    const media = this._media;
    if (media) media.cameraOff = !media.cameraOff;
  };

  #toggleScreen = (): void => {
    const screen = this._screen;
    // start() asks for the screen before its first await: still inside this click's user gesture.
    if (screen?.sharing) screen.stop();
    else void screen?.start();
  };

  #toggleLayout = (): void => {
    this.layout = this.layout === 'speaker' ? 'grid' : 'speaker';
  };

  #toggleChat = (): void => {
    this.chatOpen = !this.chatOpen;
  };

  /** One icon button of the bar: the name says what a press does, `pressed` its state. */
  #control(part: string, label: string, icon: unknown, click: () => void, pressed?: boolean, disabled = false, extra: unknown = nothing) {
    return html`<button
      part="control ${part}"
      type="button"
      aria-label=${label}
      title=${label}
      aria-pressed=${ifDefined(pressed === undefined ? undefined : pressed ? 'true' : 'false')}
      ?disabled=${disabled}
      @click=${click}
    >${icon}${extra}</button>`;
  }

  protected override render() {
    const t = { ...LABELS, ...this.labels };
    const joined = this.state === 'joined' || this.state === 'joining';
    const driverName = typeof this.driver === 'string' ? this.driver : undefined;
    const name = this.name || this._fallbackName;
    const media = this._media;
    const stream = media?.stream;
    const muted = !!media?.muted;
    const cameraOff = !!media?.cameraOff;
    const screenStream = this._screen?.stream ?? null;
    const sharing = !!screenStream;
    const unread = this._chat?.unread ?? 0;
    const speaker = this.layout === 'speaker';
    return html`<peerix-room
      part="room"
      .driver=${this.driver}
      driver=${ifDefined(driverName)}
      url=${this.url}
      room=${this.room || param('room') || 'peerix'}
      name=${name}
      prefix=${this.prefix}
      secret=${this.secret}
      ice-servers=${ifDefined(this.iceServers || undefined)}
      token=${this.token}
      key=${this.key}
      ?manual=${this.manual || this.prejoin}
      @peerix-state-change=${this.#onState}
      @peerix-connection=${() => this.#watch()}
      @peerix-media-change=${this.#refresh}
      @peerix-media-error=${this.#refresh}
      @peerix-screen-share=${this.#refresh}
      @peerix-unread=${this.#refresh}
    >
      <div class="header" part="header">
        <span part="participants">${this._participants === 1 ? '1 participant' : `${this._participants} participants`}</span>
        <span part="recording-indicator" role="status" aria-live="polite">${this.othersRecording
          ? html`<span class="rec-dot" aria-hidden="true"></span>${this.recordingText}`
          : nothing}</span>
        <button part="button copy-link" type="button" aria-label=${t.copyLink} title=${t.copyLink} @click=${this.#copy}>${linkIcon}</button>
        <span part="copy-status" role="status" aria-live="polite">${this._copied}</span>
      </div>
      <div class="layout">
        <div part="stage">
          <peerix-remote-videos part="remote-videos" layout=${this.layout} ?hidden=${this._left}></peerix-remote-videos>
          ${this._left
            ? html`<div class="left" part="left" role="status">
                <p>${this.leftText}</p>
                <button part="button rejoin-button" @click=${this.#rejoin}>${this.rejoinLabel}</button>
              </div>`
            : nothing}
          ${sharing && !this._left
            ? html`<div class="self mine" part="screen-preview">
                <video part="screen-video" ${srcObject(screenStream)} .muted=${true} muted autoplay playsinline aria-hidden="true" tabindex="-1"></video>
                <div class="caption"><span class="badge">${t.yourScreen}</span></div>
              </div>`
            : nothing}
          <div class="self" part="self-view" ?hidden=${this._left}>
            <peerix-local-media part="local-media"></peerix-local-media>
            ${this.prejoin
              ? html`<form class="prejoin" part="prejoin" @submit=${this.#join}>
                  <label>${t.yourName} <input part="name-input" name="name" autocomplete="name" maxlength="64" placeholder=${this._fallbackName} /></label>
                  <button part="button join-button" type="submit">${t.join}</button>
                </form>`
              : nothing}
            <div class="caption" ?hidden=${this.prejoin}>
              <span class="badge" part="self-name">${t.you} (${name})</span>
              ${muted ? html`<span class="badge" part="self-badge">${t.muted}</span>` : nothing}
              ${cameraOff ? html`<span class="badge" part="self-badge">${t.cameraIsOff}</span>` : nothing}
            </div>
          </div>
        </div>
        <aside part="sidebar" ?hidden=${!this.chatOpen}>
          <peerix-chat part="chat" ?files=${this.files} ?hidden=${!this.chatOpen}></peerix-chat>
        </aside>
      </div>
      <div class="bar" part="controls" role="group" aria-label="Call controls">
        ${this.#control('mic-button', muted ? t.unmute : t.mute, muted ? micOffIcon : micIcon, this.#toggleMic, muted, !stream?.getAudioTracks().length)}
        ${this.#control('camera-button', cameraOff ? t.cameraOn : t.cameraOff, cameraOff ? cameraOffIcon : cameraIcon, this.#toggleCamera, cameraOff, !stream?.getVideoTracks().length)}
        ${'getDisplayMedia' in (navigator.mediaDevices ?? {})
          ? this.#control('screen-button', sharing ? t.stopShare : t.share, screenIcon, this.#toggleScreen, sharing, !joined)
          : nothing}
        <peerix-screen-share part="screen-share" hidden></peerix-screen-share>
        ${this.recording ? html`<peerix-record-button part="record-button"></peerix-record-button>` : nothing}
        ${this.#control('layout-button', speaker ? t.gridView : t.speakerView, speaker ? gridIcon : speakerIcon, this.#toggleLayout)}
        ${this.#control(
          'chat-button',
          this.chatOpen ? t.hideChat : unread ? `${t.showChat} (${unread} unread)` : t.showChat,
          chatIcon,
          this.#toggleChat,
          this.chatOpen,
          false,
          unread && !this.chatOpen ? html`<span class="count" part="unread" aria-hidden="true">${unread}</span>` : nothing,
        )}
        ${this.#control(joined ? 'leave-button' : 'leave-button join', joined ? this.leaveLabel : this.joinLabel, leaveIcon, this.#toggle)}
      </div>
    </peerix-room>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'peerix-conference': PeerixConference;
  }
}
