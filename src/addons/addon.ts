import { Emitter, type EventName, type EventPayload, type Listener } from '../emitter.js';
import type { PeerEvents } from '../remote-peer.js';

/**
 * What an add-on needs from the peer it is attached to: its events. `Peer`
 * has it; an add-on that needs more names `Peer` as its `Host`.
 */
export interface AddonHost {
  on<N extends EventName<PeerEvents>>(name: N, listener: Listener<EventPayload<PeerEvents, N>>): unknown;
  off<N extends EventName<PeerEvents>>(name: N, listener?: Listener<EventPayload<PeerEvents, N>>): unknown;
}

/**
 * What `peer.attach()` needs of an add-on: any `Addon`, whatever its events and
 * host (a method's parameter is checked both ways, so `attach(peer: Peer)` fits).
 */
export interface AddonLike {
  attach(peer: AddonHost): void;
  detach(peer: AddonHost): void;
}

/**
 * Base for add-ons: `peer.attach(addon)` calls `attach(peer)`,
 * `peer.detach(addon)` calls `detach(peer)`. Listeners added with `listen`
 * are removed on detach, so an add-on never leaks into a peer it left.
 * An add-on has typed events of its own (`on`, `once`, `off`, `Events`),
 * as the engine's classes have; it fires them with `emit`.
 */
export class Addon<Events extends object = Record<never, never>, Host extends AddonHost = AddonHost> extends Emitter<Events> {
  #peers = new Map<Host, Array<() => void>>();

  /** The peers this add-on is attached to. */
  get peers(): Host[] {
    return [...this.#peers.keys()];
  }

  attach(peer: Host): void {
    this.#cleanups(peer);
  }

  detach(peer: Host): void {
    for (const remove of this.#peers.get(peer) ?? []) remove();
    this.#peers.delete(peer);
  }

  /** Listens to a peer's events until this add-on is detached from it. */
  protected listen<N extends EventName<PeerEvents>>(peer: Host, name: N, listener: Listener<EventPayload<PeerEvents, N>>): void {
    peer.on(name, listener);
    this.#cleanups(peer).push(() => peer.off(name, listener));
  }

  #cleanups(peer: Host): Array<() => void> {
    let list = this.#peers.get(peer);
    if (!list) this.#peers.set(peer, (list = []));
    return list;
  }
}
