import { Addon, type Peer } from '../src/index.js';

/** What a peer tells the others about its media. */
export interface MediaState {
  muted: boolean;
  cameraOff: boolean;
  /** Recording the call (`<peerix-record-button>`): shown to everyone, for consent. */
  recording: boolean;
}

/** The events of {@link MediaStates}: `change` names the peer whose state changed ('' for the local one). */
export interface MediaStatesEvents {
  change: { id: string };
}

/** The data channel that carries `MediaState` between peers. */
export const STATE_LABEL = 'peerix-state';

const MAX_STATE_MESSAGE = 256;

const NONE: MediaState = Object.freeze({ muted: false, cameraOff: false, recording: false });

/**
 * Media state exchange, an add-on: the local state is sent to every peer when
 * the `peerix-state` channel opens and whenever it changes; the remote states
 * are kept by peer id. Fires `change` ({ id }: the peer id, or '' for the local
 * state). `new MediaStates(peer)` attaches itself; `peer.detach(states)` stops it.
 */
export class MediaStates extends Addon<MediaStatesEvents, Peer> {
  local: MediaState = { ...NONE };
  readonly #remote = new Map<string, MediaState>();

  constructor(peer?: Peer) {
    super();
    peer?.attach(this);
  }

  override attach(peer: Peer): void {
    super.attach(peer);
    peer.open({ label: STATE_LABEL, ordered: true });
    this.listen(peer, 'channel:open', ({ remote, label }) => {
      if (label === STATE_LABEL) remote.send(JSON.stringify(this.local), { label }).catch(() => {});
    });
    this.listen(peer, 'channel:message', ({ remote, label, data }) => {
      if (label !== STATE_LABEL || typeof data !== 'string' || data.length > MAX_STATE_MESSAGE) return;
      const state = parseState(data);
      if (!state) return;
      this.#remote.set(remote.id, state);
      this.emit('change', { id: remote.id });
    });
    this.listen(peer, 'connection:closed', ({ remote }) => {
      if (this.#remote.delete(remote.id)) this.emit('change', { id: remote.id });
    });
  }

  override detach(peer: Peer): void {
    super.detach(peer);
    for (const id of [...this.#remote.keys()]) {
      if (!peer.connections.has(id)) continue;
      this.#remote.delete(id);
      this.emit('change', { id });
    }
  }

  /** The last state a remote peer reported (all false until it did). */
  get(id: string): MediaState {
    return this.#remote.get(id) ?? { ...NONE };
  }

  /** Merges `patch` into the local state and tells every peer. */
  setLocal(patch: Partial<MediaState>): void {
    const next = { ...this.local, ...patch };
    if (next.muted === this.local.muted && next.cameraOff === this.local.cameraOff && next.recording === this.local.recording) return;
    this.local = next;
    for (const peer of this.peers) peer.send(JSON.stringify(next), { label: STATE_LABEL }).catch(() => {});
    this.emit('change', { id: '' });
  }
}

function parseState(text: string): MediaState | null {
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object') return null;
    const { muted, cameraOff, recording } = value as Record<string, unknown>;
    return { muted: muted === true, cameraOff: cameraOff === true, recording: recording === true };
  } catch {
    return null;
  }
}

const registry = new WeakMap<Peer, MediaStates>();

/** The (one) media state exchange of `peer`, made and attached on first use. */
export function mediaStates(peer: Peer): MediaStates {
  let states = registry.get(peer);
  if (!states) registry.set(peer, (states = new MediaStates(peer)));
  return states;
}
