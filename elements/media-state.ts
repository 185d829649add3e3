import type { Peer } from '../src/index.js';

/** What a peer tells the others about its media. */
export interface MediaState {
  muted: boolean;
  cameraOff: boolean;
  /** Recording the call (`<peerix-record-button>`): shown to everyone, for consent. */
  recording: boolean;
}

/** The data channel that carries `MediaState` between peers. */
export const STATE_LABEL = 'peerix-state';

const MAX_STATE_MESSAGE = 256;

/**
 * Media state exchange for one `Peer`: the local state is sent to every
 * peer when the `peerix-state` channel opens and whenever it changes;
 * the remote states are kept by peer id. Fires `change` (detail: peer id,
 * or '' for the local state).
 */
export class MediaStates extends EventTarget {
  local: MediaState = { muted: false, cameraOff: false, recording: false };
  readonly #remote = new Map<string, MediaState>();
  readonly #peer: Peer;

  constructor(peer: Peer) {
    super();
    this.#peer = peer;
    peer.open({ label: STATE_LABEL, ordered: true });
    peer.on('channel:open', ({ remote, label }) => {
      if (label === STATE_LABEL) remote.send(JSON.stringify(this.local), { label }).catch(() => {});
    });
    peer.on('channel:message', ({ remote, label, data }) => {
      if (label !== STATE_LABEL || typeof data !== 'string' || data.length > MAX_STATE_MESSAGE) return;
      const state = parseState(data);
      if (!state) return;
      this.#remote.set(remote.id, state);
      this.#changed(remote.id);
    });
    peer.on('connection:closed', ({ remote }) => {
      if (this.#remote.delete(remote.id)) this.#changed(remote.id);
    });
  }

  /** The last state a remote peer reported (all false until it did). */
  get(id: string): MediaState {
    return this.#remote.get(id) ?? { muted: false, cameraOff: false, recording: false };
  }

  /** Merges `patch` into the local state and tells every peer. */
  setLocal(patch: Partial<MediaState>): void {
    const next = { ...this.local, ...patch };
    if (next.muted === this.local.muted && next.cameraOff === this.local.cameraOff && next.recording === this.local.recording) return;
    this.local = next;
    this.#peer.send(JSON.stringify(next), { label: STATE_LABEL }).catch(() => {});
    this.#changed('');
  }

  #changed(id: string): void {
    this.dispatchEvent(new CustomEvent<string>('change', { detail: id }));
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

/** The (one) media state exchange of `peer`, made on first use. */
export function mediaStates(peer: Peer): MediaStates {
  let states = registry.get(peer);
  if (!states) registry.set(peer, (states = new MediaStates(peer)));
  return states;
}
