import { Emitter } from '../emitter.js';

/** An Emitter whose owner may fire events (add-ons extend `Addon`, so they hold one). */
export class AddonEvents<M extends object> extends Emitter<M> {
  fire<K extends keyof M & string>(type: K, payload: M[K]): void {
    this.emit(type, payload);
  }
}
