import { Driver, type DriverHandler, type DriverMessage, type DriverOptions } from './driver.js';

interface Envelope {
  peerix: 1;
  ns: string;
  msg: DriverMessage;
}

function isEnvelope(data: unknown): data is Envelope {
  const e = data as Envelope;
  return typeof e === 'object' && e !== null && e.peerix === 1 && typeof e.ns === 'string' && Array.isArray(e.msg);
}

/**
 * Signaling between tabs, windows and frames of one origin through a
 * `BroadcastChannel` named `name` (default `peerix`). No server needed.
 */
export class BroadcastChannelDriver extends Driver {
  readonly name: string;
  #channel: BroadcastChannel | null = null;
  #handlers = new Map<string, Set<DriverHandler>>();
  #onMessage = (event: MessageEvent): void => this.#deliver(event.data);

  constructor(name: string = 'peerix', options: DriverOptions = {}) {
    super(options);
    this.name = name;
    this.active = false;
    this.#channel = new BroadcastChannel(name);
    this.#channel.addEventListener('message', this.#onMessage);
    this.active = true;
  }

  subscribe(namespace: string[], handler: DriverHandler): void {
    const key = this.prefix + namespace.join(':');
    let set = this.#handlers.get(key);
    if (!set) this.#handlers.set(key, (set = new Set()));
    set.add(handler);
  }

  unsubscribe(namespace: string[], handler: DriverHandler): void {
    const key = this.prefix + namespace.join(':');
    const set = this.#handlers.get(key);
    set?.delete(handler);
    if (set?.size === 0) this.#handlers.delete(key);
  }

  override publish(namespace: string[], message: DriverMessage): void {
    const envelope: Envelope = { peerix: 1, ns: this.prefix + namespace.join(':'), msg: message };
    // A BroadcastChannel never delivers to its own sender: deliver locally too,
    // so several peers in one tab meet as they do across tabs.
    this.#channel?.postMessage(envelope);
    queueMicrotask(() => this.#deliver(envelope));
  }

  #deliver(data: unknown): void {
    if (!isEnvelope(data)) return; // other apps may share the channel name
    const set = this.#handlers.get(data.ns);
    if (!set) return;
    for (const handler of [...set]) handler(data.msg.slice());
  }

  override destroy(): void {
    this.#handlers.clear();
    if (this.#channel) {
      this.#channel.removeEventListener('message', this.#onMessage);
      this.#channel.close();
      this.#channel = null;
    }
    this.active = false;
  }
}
