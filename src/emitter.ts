/**
 * A small typed event emitter with group events: a listener on `channel`
 * receives every `channel:*` event, with the full name in `type`.
 */

/** The group part of an event name: `channel` for `channel:open`. */
type GroupOf<K> = K extends `${infer G}:${string}` ? G : never;

/** Every name a listener can use: the events themselves and their groups. */
export type EventName<M> = (keyof M & string) | GroupOf<keyof M & string>;

/** The payload a listener of `name` receives (a group gets the union, each with its `type`). */
export type EventPayload<M, N> = N extends keyof M
  ? M[N] & { type: N }
  : { [K in keyof M]: K extends `${N & string}:${string}` ? M[K] & { type: K } : never }[keyof M];

export type Listener<P> = (payload: P) => void;

type AnyListener = (payload: never) => void;

export class Emitter<M extends object> {
  #listeners = new Map<string, Set<AnyListener>>();

  on<N extends EventName<M>>(name: N, listener: Listener<EventPayload<M, N>>): this {
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    set.add(listener as AnyListener);
    return this;
  }

  once<N extends EventName<M>>(name: N, listener: Listener<EventPayload<M, N>>): this {
    const wrapper = ((payload: EventPayload<M, N>) => {
      this.off(name, wrapper);
      listener(payload);
    }) as Listener<EventPayload<M, N>>;
    return this.on(name, wrapper);
  }

  off<N extends EventName<M>>(name: N, listener?: Listener<EventPayload<M, N>>): this {
    if (!listener) this.#listeners.delete(name);
    else {
      const set = this.#listeners.get(name);
      set?.delete(listener as AnyListener);
      if (set && set.size === 0) this.#listeners.delete(name);
    }
    return this;
  }

  /** Number of listeners on a name, or on all names: lets tests and apps spot leaks. */
  listenerCount(name?: EventName<M>): number {
    if (name !== undefined) return this.#listeners.get(name)?.size ?? 0;
    let total = 0;
    for (const set of this.#listeners.values()) total += set.size;
    return total;
  }

  protected emit<K extends keyof M & string>(type: K, payload: M[K]): void {
    const event = { ...payload, type };
    const colon = type.indexOf(':');
    this.#call(type, event);
    if (colon > 0) this.#call(type.slice(0, colon), event);
  }

  #call(name: string, event: unknown): void {
    const set = this.#listeners.get(name);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (payload: unknown) => void)(event);
      } catch (error) {
        // A listener's bug must not break the engine; surface it like an uncaught error.
        reportListenerError(error);
      }
    }
  }
}

function reportListenerError(error: unknown): void {
  const g = globalThis as { reportError?: (e: unknown) => void };
  if (typeof g.reportError === 'function') g.reportError(error);
  else setTimeout(() => { throw error; });
}
