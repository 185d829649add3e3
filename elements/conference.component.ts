import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Driver, Peer } from '../src/index.js';
import type { PeerixRoom } from './room.component.js';
import { mediaStates, type MediaStates } from './media-state.js';
import { controlStyles } from './shared.styles.js';
import { conferenceStyles } from './conference.styles.js';
import './room.js';
import './local-media.js';
import './remote-videos.js';
import './chat.js';
import './screen-share.js';
import './record-button.js';

function param(name: string): string {
  if (typeof location === 'undefined') return '';
  return (new URLSearchParams(location.search).get(name) ?? '').trim().slice(0, 64);
}

/**
 * @summary A whole mesh video call in one tag: a room with your camera, the
 * others' videos, screen sharing, a leave/join button and a chat.
 * @tag peerix-conference
 *
 * @attr driver - Forwarded to `<peerix-room>`; the property also accepts a `Driver` instance.
 * @attr url - Forwarded to `<peerix-room>`.
 * @attr room - The room; without it, the page's `?room=` parameter, else `peerix`.
 * @attr name - Your name; without it, the page's `?name=` parameter, else a random "Guest nnnn".
 * @attr prefix - Forwarded to `<peerix-room>`.
 * @attr secret - Forwarded to `<peerix-room>`.
 * @attr ice-servers - Forwarded to `<peerix-room>` (JSON).
 * @attr token - Forwarded to `<peerix-room>`.
 * @attr key - Forwarded to `<peerix-room>`.
 * @attr manual - Forwarded to `<peerix-room>`: wait for the Join button.
 * @attr state - Reflected, read-only: the room's state.
 * @attr leave-label - Text of the leave button (default "Leave").
 * @attr join-label - Text of the join button (default "Join").
 * @attr left-text - Shown on the stage after leaving (default "You left the call.").
 * @attr rejoin-label - Text of the button on the stage that joins again (default "Rejoin").
 * @attr theme - `light` (default: light panels beside the dark stage) or `dark` (dark panels too).
 * @attr recording - Adds a `<peerix-record-button>` to the controls (the call is recorded in your browser; everyone sees that you record).
 * @attr files - Lets the chat send files (`<peerix-chat files>`).
 * @attr recording-text - The header's notice while anyone in the call records (default "Recording").
 * @attr others-recording - Reflected, read-only: someone in the call (you included) is recording.
 *
 * @fires peerix-state-change - Bubbles up from the inner room, as do all of `<peerix-room>`'s events.
 *
 * @csspart room - The inner `<peerix-room>`.
 * @csspart header - The bar above the stage: participant count and the recording notice.
 * @csspart participants - The participant count.
 * @csspart recording-indicator - The notice shown while anyone records (a polite live region).
 * @csspart record-button - The `<peerix-record-button>` (with `recording`).
 * @csspart stage - The area with the remote videos.
 * @csspart left - The stage's message after leaving, with the rejoin button.
 * @csspart rejoin-button - The button that joins again after leaving.
 * @csspart sidebar - The column with your camera, the controls and the chat.
 * @csspart remote-videos - The `<peerix-remote-videos>`.
 * @csspart local-media - The `<peerix-local-media>`.
 * @csspart controls - The row with screen share and leave/join.
 * @csspart screen-share - The `<peerix-screen-share>`.
 * @csspart leave-button - The leave/join button.
 * @csspart chat - The `<peerix-chat>`.
 *
 * @cssprop --peerix-sidebar-width - Width of the sidebar (default 320px).
 * @cssprop --peerix-stage-background - Background of the stage (default near-black, in both themes).
 * @cssprop --peerix-stage-color - Text color on the stage.
 * @cssprop --peerix-stage-min-height - Smallest height of the stage (default 16rem).
 * @cssprop --peerix-conference-background - Background of the whole conference (dark theme: #1a1b1e).
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
  @state() private _participants = 1;
  #states: MediaStates | null = null;
  #watched: Peer | null = null;

  @state() private _fallbackName = '';
  /** Left by the user (not before the first join): the stage says so and offers to rejoin. */
  @state() private _left = false;
  @query('peerix-room') private _room?: PeerixRoom;

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
    this._fallbackName ||= param('name') || `Guest ${Math.floor(1000 + Math.random() * 9000)}`;
  }

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

  protected override render() {
    const joined = this.state === 'joined' || this.state === 'joining';
    const driverName = typeof this.driver === 'string' ? this.driver : undefined;
    return html`<peerix-room
      part="room"
      .driver=${this.driver}
      driver=${ifDefined(driverName)}
      url=${this.url}
      room=${this.room || param('room') || 'peerix'}
      name=${this.name || this._fallbackName}
      prefix=${this.prefix}
      secret=${this.secret}
      ice-servers=${ifDefined(this.iceServers || undefined)}
      token=${this.token}
      key=${this.key}
      ?manual=${this.manual}
      @peerix-state-change=${this.#onState}
      @peerix-connection=${() => this.#watch()}
    >
      <div class="header" part="header">
        <span part="participants">${this._participants === 1 ? '1 participant' : `${this._participants} participants`}</span>
        <span part="recording-indicator" role="status" aria-live="polite">${this.othersRecording
          ? html`<span class="rec-dot" aria-hidden="true"></span>${this.recordingText}`
          : nothing}</span>
      </div>
      <div class="layout">
        <div part="stage">
          <peerix-remote-videos part="remote-videos" ?hidden=${this._left}></peerix-remote-videos>
          ${this._left
            ? html`<div class="left" part="left" role="status">
                <p>${this.leftText}</p>
                <button part="button rejoin-button" @click=${this.#rejoin}>${this.rejoinLabel}</button>
              </div>`
            : nothing}
        </div>
        <aside part="sidebar">
          <peerix-local-media part="local-media"></peerix-local-media>
          <div class="controls" part="controls">
            <peerix-screen-share part="screen-share"></peerix-screen-share>
            ${this.recording ? html`<peerix-record-button part="record-button"></peerix-record-button>` : nothing}
            <button part="button leave-button" @click=${this.#toggle}>${joined ? this.leaveLabel : this.joinLabel}</button>
          </div>
          <peerix-chat part="chat" ?files=${this.files}></peerix-chat>
        </aside>
      </div>
    </peerix-room>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'peerix-conference': PeerixConference;
  }
}
