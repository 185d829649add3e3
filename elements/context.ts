import { createContext, ContextRoot } from '@lit/context';
import type { Peer } from '../src/index.js';

/**
 * What `<peerix-room>` provides to its descendants: its `Peer` (null while the
 * driver loads or after the room was removed) and a tiny membership API.
 */
export interface RoomContext {
  /** The room's peer, or null while there is none. */
  readonly peer: Peer | null;
  /** The providing element; room-level DOM events are dispatched on it. */
  readonly host: HTMLElement;
  /** Called by a member when it connects: the room then re-renders it when the peer changes. */
  register(member: RoomMember): void;
  /** Called by a member when it disconnects. */
  unregister(member: RoomMember): void;
}

/** An element that takes part in a room. */
export interface RoomMember extends HTMLElement {
  /** The room calls this when its peer changes (including to null). */
  roomChanged?(peer: Peer | null): void;
}

/** The context key. `Symbol.for` so that two copies of the elements still meet. */
export const roomContext = createContext<RoomContext | undefined>(Symbol.for('peerix-room-context'));

let root: ContextRoot | null = null;

/**
 * Attaches one `ContextRoot` to the document (lazily: SSR-safe), so that
 * members upgraded before their room still find it when the room upgrades.
 */
export function ensureContextRoot(): void {
  if (root || typeof document === 'undefined') return;
  const g = globalThis as { __peerixContextRoot?: ContextRoot };
  if (g.__peerixContextRoot) {
    root = g.__peerixContextRoot;
    return;
  }
  root = new ContextRoot();
  root.attach(document.documentElement);
  g.__peerixContextRoot = root;
}
