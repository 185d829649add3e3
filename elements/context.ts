import { createContext, ContextEvent } from '@lit/context';
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

type Callback = (value: RoomContext | undefined, unsubscribe?: () => void) => void;

/**
 * Asks the nearest `<peerix-room>` above `member` for its context (the community
 * context protocol: a `context-request` event), now and, while no room has answered,
 * whenever a room appears (`context-provider`): members upgraded before their room
 * still find it. `callback` gets every new value. Returns the way to stop.
 */
export function requestRoom(member: HTMLElement, callback: Callback): () => void {
  let unsubscribe: (() => void) | undefined;
  let answered = false;
  const ask = (): void => {
    member.dispatchEvent(
      new ContextEvent(
        roomContext,
        member,
        (value: RoomContext | undefined, stop?: () => void) => {
          answered = true;
          if (unsubscribe && unsubscribe !== stop) unsubscribe();
          unsubscribe = stop;
          callback(value, stop);
        },
        true,
      ),
    );
  };
  const onProvider = (event: Event): void => {
    const { context, contextTarget } = event as Event & { context?: unknown; contextTarget?: Node };
    if (context === roomContext && !answered && (contextTarget ?? (event.composedPath()[0] as Node)).contains(member)) ask();
  };
  document.addEventListener('context-provider', onProvider);
  ask();
  return () => {
    document.removeEventListener('context-provider', onProvider);
    unsubscribe?.();
    unsubscribe = undefined;
  };
}

/** Nothing left to do (members retry their requests themselves, see `requestRoom`); kept for the room, which calls it. */
export function ensureContextRoot(): void {}
