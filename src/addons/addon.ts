import type { EventName, EventPayload, Listener } from '../emitter.js';
import type { Peer } from '../peer.js';
import type { PeerEvents } from '../remote-peer.js';

/**
 * Base for add-ons: `peer.attach(addon)` calls `attach(peer)`,
 * `peer.detach(addon)` calls `detach(peer)`. Listeners added with `listen`
 * are removed on detach, so an add-on never leaks into a peer it left.
 */
export class Addon {
  #peers = new Map<Peer, Array<() => void>>();

  /** The peers this add-on is attached to. */
  get peers(): Peer[] {
    return [...this.#peers.keys()];
  }

  attach(peer: Peer): void {
    this.#cleanups(peer);
  }

  detach(peer: Peer): void {
    for (const remove of this.#peers.get(peer) ?? []) remove();
    this.#peers.delete(peer);
  }

  /** Listens to a peer's events until this add-on is detached from it. */
  protected listen<N extends EventName<PeerEvents>>(peer: Peer, name: N, listener: Listener<EventPayload<PeerEvents, N>>): void {
    peer.on(name, listener);
    this.#cleanups(peer).push(() => peer.off(name, listener));
  }

  #cleanups(peer: Peer): Array<() => void> {
    let list = this.#peers.get(peer);
    if (!list) this.#peers.set(peer, (list = []));
    return list;
  }
}
