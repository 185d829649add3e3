import { LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Peer } from '../src/index.js';
import { requestRoom, type RoomContext } from './context.js';

/**
 * Base of the elements that work inside a `<peerix-room>`: finds the room by
 * context (whichever upgrades first), or uses a `Peer` set on `peer`, and
 * calls `peerAttached`/`peerDetached` as the effective peer changes.
 */
export class PeerixMember extends LitElement {
  /** A `Peer` to use instead of the enclosing room's. */
  @property({ attribute: false }) peer: Peer | null = null;

  /** The enclosing room, found by context. */
  @state()
  protected roomContext?: RoomContext;
  #stopRequest: (() => void) | null = null;

  #attached: Peer | null = null;
  #registeredWith: RoomContext | undefined;

  /** The peer in use: `peer` if set, else the room's. */
  get activePeer(): Peer | null {
    return this.peer ?? this.roomContext?.peer ?? null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#stopRequest = requestRoom(this, (value) => (this.roomContext = value));
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopRequest?.();
    this.#stopRequest = null;
    this.#registeredWith?.unregister(this);
    this.#registeredWith = undefined;
    this.#switch(null);
  }

  /** Called by the room when its peer changes. */
  roomChanged(): void {
    this.requestUpdate();
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (this.roomContext !== this.#registeredWith && this.isConnected) {
      this.#registeredWith?.unregister(this);
      this.#registeredWith = this.roomContext;
      this.roomContext?.register(this);
    }
    if (this.isConnected) this.#switch(this.activePeer);
  }

  #switch(next: Peer | null): void {
    if (next === this.#attached) return;
    const previous = this.#attached;
    this.#attached = next;
    if (previous) this.peerDetached(previous);
    if (next) this.peerAttached(next);
  }

  /** Subscribe to `peer` here. */
  protected peerAttached(_peer: Peer): void {}

  /** Unsubscribe from `peer` here. */
  protected peerDetached(_peer: Peer): void {}

  /** Dispatches a bubbling, composed `CustomEvent`. */
  protected emit<T>(type: string, detail: T): boolean {
    return this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}
