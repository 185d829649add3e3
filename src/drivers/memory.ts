import { Driver, handOver, TAKES_BYTES, type DriverHandler, type DriverMessage, type DriverOptions } from './driver.js';

/**
 * Signaling inside one JavaScript realm: every `Peer` given the same
 * instance can meet. For tests, demos and same-page setups.
 */
export class MemoryDriver extends Driver {
  override readonly [TAKES_BYTES] = true;
  /** Every subscriber, the publisher too, gets messages in publish order. */
  override readonly echoesInOrder: boolean = true;
  #handlers = new Map<string, Set<DriverHandler>>();
  #destroyed = false;

  constructor(options: DriverOptions = {}) {
    super(options);
    this.active = true;
  }

  subscribe(namespace: string[], handler: DriverHandler): void {
    const key = this.keyOf(namespace);
    let set = this.#handlers.get(key);
    if (!set) this.#handlers.set(key, (set = new Set()));
    set.add(handler);
  }

  unsubscribe(namespace: string[], handler: DriverHandler): void {
    const key = this.keyOf(namespace);
    const set = this.#handlers.get(key);
    set?.delete(handler);
    if (set?.size === 0) this.#handlers.delete(key);
  }

  override publish(namespace: string[], message: DriverMessage | Uint8Array): void {
    this.deliver(this.keyOf(namespace), message);
  }

  /** Namespaces with at least one subscriber (for tests and debugging). */
  get subscriptionCount(): number {
    return this.#handlers.size;
  }

  override destroy(): void {
    this.#destroyed = true;
    this.#handlers.clear();
    this.active = false;
  }

  /** The key a namespace is stored under. */
  protected keyOf(namespace: string[]): string {
    return this.prefix + namespace.join(':');
  }

  /**
   * Hands `message` to the subscribers of `key`, asynchronously like a real
   * transport, each its own copy (so no receiver shares the sender's buffer).
   * Anything is passed on as given: checking it is the receiver's job, as with
   * a real broker.
   */
  protected deliver(key: string, message: DriverMessage | Uint8Array): void {
    if (this.#destroyed) return;
    const set = this.#handlers.get(key);
    if (!set) return;
    for (const handler of set) {
      queueMicrotask(() => {
        if (set.has(handler)) handOver(handler, message);
      });
    }
  }
}
