import { LitElement, html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { ContextProvider } from '@lit/context';
import { Peer, PeerixError, type Driver, type Metadata, type RemotePeer } from '../src/index.js';
import { ensureContextRoot, roomContext, type RoomContext, type RoomMember } from './context.js';
import { createDriver, MissingDriverPackageError, type CreatedDriver } from './driver-factory.js';
import { mediaStates } from './media-state.js';
import type { ErrorDetail } from './events.js';
import { roomStyles } from './room.styles.js';

/** `idle` (no peer), `loading` (driver loading), `ready`, `joining`, `joined`, `leaving`, `error`. */
export type RoomState = 'idle' | 'loading' | 'ready' | 'joining' | 'joined' | 'leaving' | 'error';

const TRANSPORT = ['driver', 'url', 'prefix', 'secret', 'iceServers', 'token', 'key', 'withCredentials'];

function parseIceServers(value: string | null): RTCIceServer[] | undefined {
  if (!value) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed)) return parsed as RTCIceServer[];
  } catch {
    // reported below
  }
  console.warn('peerix: ice-servers must be a JSON array of RTCIceServer objects; ignored');
  return undefined;
}

/**
 * @summary A room: owns one `Peer`, joins a room through a signaling driver and
 * provides the peer to the elements inside it.
 * @tag peerix-room
 *
 * @attr driver - `memory`, `broadcast-channel` (default), `mqtt`, `nats`, `socket-io`, `sse`, `supabase` or `centrifuge`.
 * @attr url - The broker or hub URL. Relative URLs resolve against the page; without one, `mqtt` uses `ws(s)://<host>/mqtt`.
 * @attr room - The room to join. The room joins as soon as it is connected with a room, unless `manual`.
 * @attr name - Your name, shared with the others as `metadata.name`.
 * @attr prefix - Put in front of every topic/subject/event name on the broker.
 * @attr secret - A room secret: only peers that know it can read the room's signaling.
 * @attr ice-servers - STUN/TURN servers as JSON, e.g. `[{"urls":"stun:stun.example.org"}]`.
 * @attr token - A token for drivers that need one (MQTT password, NATS token, Centrifugo JWT, Socket.IO `auth.token`, SSE bearer).
 * @attr key - A key for drivers that need one (Supabase anon key; MQTT username with `token`).
 * @attr with-credentials - SSE: send cookies with the stream and the publishes.
 * @attr uplink-budget - Bits per second for all the video this peer sends, all connections together (default 3000000; 0 = no limit): divided among the other peers as they join and leave. Can change at any time.
 * @attr manual - Do not join by itself: call `join()` and `leave()`.
 * @attr state - Reflected, read-only: `idle`, `loading`, `ready`, `joining`, `joined`, `leaving` or `error`.
 *
 * @fires peerix-state-change - The room's `state` changed. `detail: { state }`.
 * @fires peerix-connection - A connection changed state. `detail: { remote, state, type }`.
 * @fires peerix-channel-new - `detail: { remote, label, channel, type }`.
 * @fires peerix-channel-open - A data channel opened. `detail: { remote, label, channel, type }`.
 * @fires peerix-channel-close - A data channel closed.
 * @fires peerix-channel-message - A message arrived. `detail: { remote, label, channel, data, type }`.
 * @fires peerix-channel-progress - A large message is arriving. `detail: { received, total, … }`.
 * @fires peerix-channel-error - A data channel failed.
 * @fires peerix-stream-add - A remote stream arrived. `detail: { remote, stream, label, type }`.
 * @fires peerix-stream-remove - A remote stream ended.
 * @fires peerix-track-add - A remote track arrived. `detail: { remote, stream, track, label, type }`.
 * @fires peerix-track-remove - A remote track ended.
 * @fires peerix-error - Something went wrong. `detail: { error, message, remote?, packageName? }`; `packageName` names a driver client library that could not be loaded.
 *
 * @slot - The room's content: any elements, including the other `peerix-` elements.
 */
export class PeerixRoom extends LitElement {
  static override styles = roomStyles;

  /** A driver name, or a `Driver` instance (property only) for programmatic use. */
  @property() driver: string | Driver = 'broadcast-channel';
  @property() url = '';
  @property() room = '';
  @property() name = '';
  /** Put in front of every topic on the broker (shadows the unused DOM `Element.prefix`). */
  @property() override prefix = '';
  @property() secret = '';
  @property() token = '';
  @property() key = '';
  @property({ type: Boolean, attribute: 'with-credentials' }) withCredentials = false;
  @property({ type: Boolean }) manual = false;
  /** Bits per second for all video sent (attribute `uplink-budget`); `undefined` = the engine's default (3 Mbit/s), 0 = no limit. */
  @property({ type: Number, attribute: 'uplink-budget' }) uplinkBudget: number | undefined = undefined;
  /** STUN/TURN servers (attribute: JSON). */
  @property({ attribute: 'ice-servers', converter: { fromAttribute: parseIceServers } }) iceServers: RTCIceServer[] | undefined = undefined;
  /** Extra metadata shared with the others (`name` is added to it). */
  @property({ attribute: false }) metadata: Metadata = {};

  #state: RoomState = 'idle';
  #peer: Peer | null = null;
  #created: CreatedDriver | null = null;
  #generation = 0;
  #starting: Promise<void> | null = null;
  #members = new Set<RoomMember>();
  #provider = new ContextProvider(this, { context: roomContext, initialValue: this.#contextValue() });
  #unwire: (() => void) | null = null;
  #wantJoin = false;
  #onPageHide = (): void => {
    void this.#peer?.leave();
  };

  /** The room's `Peer` (null until the driver is ready). */
  get peer(): Peer | null {
    return this.#peer;
  }

  /** The connections to the other peers, by peer id. */
  get connections(): ReadonlyMap<string, RemotePeer> {
    return this.#peer?.connections ?? new Map<string, RemotePeer>();
  }

  /** `idle`, `loading`, `ready`, `joining`, `joined`, `leaving` or `error` (reflected as the `state` attribute). */
  get state(): RoomState {
    return this.#state;
  }

  override connectedCallback(): void {
    ensureContextRoot();
    super.connectedCallback();
    window.addEventListener('pagehide', this.#onPageHide);
    if (this.hasUpdated) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pagehide', this.#onPageHide);
    // A move within the document reconnects at once: only stop when really removed.
    queueMicrotask(() => {
      if (!this.isConnected) void this.#stop();
    });
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.isConnected) return;
    if (!this.#peer && !this.#starting) {
      void this.#start();
      return;
    }
    const keys = [...changed.keys()] as string[];
    if (keys.includes('uplinkBudget')) this.#applyBudget(this.#peer);
    if (keys.some((k) => TRANSPORT.includes(k))) {
      void this.#restart();
    } else if (keys.some((k) => k === 'room' || k === 'name' || k === 'metadata')) {
      void this.#rejoin();
    }
  }

  protected override render() {
    return html`<slot></slot>`;
  }

  /** Joins `room` (waits for the driver first). Resolves when joined. */
  async join(): Promise<void> {
    this.#wantJoin = true;
    if (!this.#peer) await (this.#starting ?? this.#start());
    const peer = this.#peer;
    if (!peer || peer.state !== 'idle') return;
    if (!this.room) {
      this.#fail(new PeerixError('ERR_INVALID_ARGUMENT', 'peerix-room: set the room attribute before joining'));
      return;
    }
    this.#setState('joining');
    try {
      await peer.join({ room: this.room, metadata: { ...this.metadata, ...(this.name ? { name: this.name } : {}) } });
      if (peer === this.#peer) this.#setState('joined');
    } catch (error) {
      if (peer !== this.#peer) return;
      this.#setState('error');
      this.#fail(error);
    }
  }

  /** Leaves the room (says goodbye to every peer); the peer stays ready to join again. */
  async leave(): Promise<void> {
    this.#wantJoin = false;
    const peer = this.#peer;
    if (!peer || peer.state === 'idle') return;
    this.#setState('leaving');
    await peer.leave();
    if (peer === this.#peer) this.#setState('ready');
  }

  // ───────────────────────── lifecycle ─────────────────────────

  #start(): Promise<void> {
    const generation = ++this.#generation;
    this.#setState('loading');
    const starting = this.#load(generation).finally(() => {
      if (this.#starting === starting) this.#starting = null;
    });
    this.#starting = starting;
    return starting;
  }

  async #load(generation: number): Promise<void> {
    let created: CreatedDriver;
    try {
      created = typeof this.driver === 'object' && this.driver !== null
        ? { driver: this.driver, close: () => {} }
        : await createDriver({
            name: this.driver || 'broadcast-channel',
            url: this.url,
            prefix: this.prefix,
            token: this.token,
            key: this.key,
            withCredentials: this.withCredentials,
          });
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#setState('error');
      this.#fail(error);
      return;
    }
    if (generation !== this.#generation || !this.isConnected) {
      created.close();
      return;
    }
    let peer: Peer;
    try {
      peer = new Peer({ driver: created.driver, iceServers: this.iceServers, secret: this.secret || undefined });
      this.#applyBudget(peer);
    } catch (error) {
      created.close();
      this.#setState('error');
      this.#fail(error);
      return;
    }
    this.#created = created;
    this.#peer = peer;
    this.#unwire = this.#wire(peer);
    mediaStates(peer); // every room speaks the media-state protocol
    this.#setState('ready');
    this.#provide();
    if ((!this.manual || this.#wantJoin) && this.room) await this.join();
  }

  /** The `uplink-budget` attribute, when valid, to the peer (a bad value is reported and leaves the budget as it is). */
  #applyBudget(peer: Peer | null): void {
    const budget = this.uplinkBudget;
    if (!peer || budget === undefined || budget === null) return;
    try {
      peer.uplinkBudget = budget;
    } catch (error) {
      this.#fail(error);
    }
  }

  async #stop(): Promise<void> {
    this.#generation++;
    this.#starting = null;
    const peer = this.#peer;
    const created = this.#created;
    this.#peer = null;
    this.#created = null;
    this.#provide();
    if (peer) {
      this.#setState('leaving');
      try {
        await peer.leave();
      } catch {
        // leaving anyway
      }
    }
    this.#unwire?.();
    this.#unwire = null;
    created?.close();
    this.#setState('idle');
  }

  async #restart(): Promise<void> {
    const wantJoin = this.#wantJoin;
    await this.#stop();
    this.#wantJoin = wantJoin;
    if (this.isConnected) await this.#start();
  }

  async #rejoin(): Promise<void> {
    const peer = this.#peer;
    if (!peer) return;
    const joined = peer.state !== 'idle';
    if (joined) await this.leave();
    if (joined || (!this.manual && this.room) || this.#wantJoin) await this.join();
  }

  // ───────────────────────── context and events ─────────────────────────

  #contextValue(): RoomContext {
    return {
      peer: this.#peer,
      host: this,
      register: (member) => {
        this.#members.add(member);
      },
      unregister: (member) => {
        this.#members.delete(member);
      },
    };
  }

  #provide(): void {
    this.#provider.setValue(this.#contextValue());
    for (const member of this.#members) member.roomChanged?.(this.#peer);
  }

  #wire(peer: Peer): () => void {
    const forward = (name: string) => (payload: object) => {
      this.dispatchEvent(new CustomEvent(name, { detail: payload, bubbles: true, composed: true }));
    };
    const connection = forward('peerix-connection');
    const grouped = (payload: { type: string }) => forward(`peerix-${payload.type.replace(':', '-')}`)(payload);
    const error = ({ error, remote }: { error: PeerixError; remote?: RemotePeer }) => {
      const detail: ErrorDetail = { error, message: error.message, ...(remote ? { remote } : {}) };
      forward('peerix-error')(detail);
    };
    peer.on('connection', connection);
    peer.on('channel', grouped);
    peer.on('stream', grouped);
    peer.on('track', grouped);
    peer.on('error', error);
    return () => {
      peer.off('connection', connection);
      peer.off('channel', grouped);
      peer.off('stream', grouped);
      peer.off('track', grouped);
      peer.off('error', error);
    };
  }

  #setState(state: RoomState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.setAttribute('state', state);
    this.dispatchEvent(new CustomEvent('peerix-state-change', { detail: { state }, bubbles: true, composed: true }));
  }

  #fail(error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    const detail: ErrorDetail = { error: err, message: err.message };
    if (error instanceof MissingDriverPackageError) detail.packageName = error.packageName;
    this.dispatchEvent(new CustomEvent('peerix-error', { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'peerix-room': PeerixRoom;
  }
}
