import type { DriverMessage, DriverOptions } from './driver.js';
import { MemoryDriver } from './memory.js';

/** What goes on the channel: the bytes travel as a Uint8Array (structured clone); a plain array is accepted too. */
interface Envelope {
  peerix: 1;
  ns: string;
  msg: DriverMessage | Uint8Array;
}

function isEnvelope(data: unknown): data is Envelope {
  const e = data as Partial<Envelope> | null;
  return typeof e === 'object' && e !== null && e.peerix === 1 && typeof e.ns === 'string' && (Array.isArray(e.msg) || e.msg instanceof Uint8Array);
}

/**
 * Signaling between tabs, windows and frames of one origin through a
 * `BroadcastChannel` named `name` (default `peerix`). No server needed.
 * Peers sharing one instance in one tab meet too: a BroadcastChannel never
 * delivers to its own sender, so messages are also delivered locally. Local
 * delivery comes first, as on a bridged broker: announces stay ordered enough
 * for `echoesInOrder` (two tabs may both offer, never both wait).
 */
export class BroadcastChannelDriver extends MemoryDriver {
  readonly name: string;
  #channel: BroadcastChannel | null;
  #onMessage = (event: MessageEvent): void => {
    // Other apps may share the channel name: anything not ours is ignored.
    if (isEnvelope(event.data)) this.deliver(event.data.ns, event.data.msg);
  };

  constructor(name: string = 'peerix', options: DriverOptions = {}) {
    super(options);
    this.name = name;
    this.#channel = new BroadcastChannel(name);
    this.#channel.addEventListener('message', this.#onMessage);
  }

  override publish(namespace: string[], message: DriverMessage | Uint8Array): void {
    const envelope: Envelope = { peerix: 1, ns: this.keyOf(namespace), msg: message };
    this.#channel?.postMessage(envelope);
    super.publish(namespace, message);
  }

  override destroy(): void {
    if (this.#channel) {
      this.#channel.removeEventListener('message', this.#onMessage);
      this.#channel.close();
      this.#channel = null;
    }
    super.destroy();
  }
}
