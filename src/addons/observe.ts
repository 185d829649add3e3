import type { Peer } from '../peer.js';

type Method = 'share' | 'unshare' | 'send';

/**
 * Calls `after(...args)` each time the app calls `peer[method](...)`, until
 * the returned function is called. The engine emits no event for its own
 * shares and sends, so add-ons that mix or log the local side observe the
 * calls instead: an own property on the instance shadows the prototype's
 * method and is deleted again on undo (layered observers unwind in any order).
 */
export function observeCalls<M extends Method>(peer: Peer, method: M, after: (...args: Parameters<Peer[M]>) => void): () => void {
  const target = peer as unknown as Record<string, (...args: unknown[]) => unknown>;
  const inner = target[method]!;
  let active = true;
  const wrapper = function (this: Peer, ...args: unknown[]): unknown {
    const result = inner.apply(this, args);
    if (active) {
      try {
        after(...(args as Parameters<Peer[M]>));
      } catch (error) {
        reportError(error);
      }
    }
    return result;
  };
  target[method] = wrapper;
  return () => {
    active = false;
    // Only unwrap if nobody wrapped on top of us; otherwise stay as a pass-through.
    if (target[method] === wrapper) {
      if (inner === Object.getPrototypeOf(peer)[method]) delete target[method];
      else target[method] = inner;
    }
  };
}
