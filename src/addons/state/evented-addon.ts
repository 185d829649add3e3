import { Emitter, type EventName, type EventPayload, type Listener } from '../../emitter.js';
import { Addon } from '../addon.js';

/** An Emitter whose `emit` its owner may call. */
class Events<M extends object> extends Emitter<M> {
  fire<K extends keyof M & string>(type: K, payload: M[K]): void {
    this.emit(type, payload);
  }
}

/** An `Addon` with its own typed events (`on`, `once`, `off`), as the engine's classes have. */
export class EventedAddon<M extends object> extends Addon {
  #events = new Events<M>();

  on<N extends EventName<M>>(name: N, listener: Listener<EventPayload<M, N>>): this {
    this.#events.on(name, listener);
    return this;
  }

  once<N extends EventName<M>>(name: N, listener: Listener<EventPayload<M, N>>): this {
    this.#events.once(name, listener);
    return this;
  }

  off<N extends EventName<M>>(name: N, listener?: Listener<EventPayload<M, N>>): this {
    this.#events.off(name, listener);
    return this;
  }

  /** Number of listeners on a name, or on all names. */
  listenerCount(name?: EventName<M>): number {
    return this.#events.listenerCount(name);
  }

  protected emit<K extends keyof M & string>(type: K, payload: M[K]): void {
    this.#events.fire(type, payload);
  }
}
