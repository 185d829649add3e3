import { Emitter } from '../emitter.js';
import { PeerixError } from '../errors.js';

/** A signaling message as drivers carry it: a plain array of byte values (0–255). */
export type DriverMessage = number[];

/** Receives the messages published on a namespace. */
export type DriverHandler = (message: DriverMessage) => void;

export interface DriverEvents {
  /** `active` changed: the transport became ready, or was lost. */
  active: { active: boolean };
  /** Something went wrong in the transport: a publish that failed, garbage on a topic. */
  error: { error: PeerixError };
}

export interface DriverOptions {
  /** Put in front of every topic, subject or event name, as given (no separator is added). */
  prefix?: string;
}

let warnedDispatch = false;

/**
 * The signaling transport under a `Peer`: subscribe to namespaces, publish byte
 * arrays to them. A namespace is an array of strings; drivers key on
 * `namespace.join(':')` or map it onto their topic syntax.
 *
 * Built-in drivers start inactive and set `active` when their client is ready.
 * A driver that never touches `active` (like the docs' in-memory example) is
 * taken as always ready.
 */
export abstract class Driver extends Emitter<DriverEvents> {
  readonly prefix: string;
  #active = false;
  #managesActive = false;

  constructor(options: DriverOptions = {}) {
    super();
    this.prefix = options.prefix ?? '';
  }

  /** True while the transport can deliver messages. */
  get active(): boolean {
    return this.#managesActive ? this.#active : true;
  }

  set active(value: boolean) {
    this.#managesActive = true;
    if (this.#active === value) return;
    this.#active = value;
    this.emit('active', { active: value });
  }

  /** True once the driver has reported its state through `active`. */
  get managesActive(): boolean {
    return this.#managesActive;
  }

  abstract subscribe(namespace: string[], handler: DriverHandler): void | Promise<void>;
  abstract unsubscribe(namespace: string[], handler: DriverHandler): void | Promise<void>;

  /** Sends `message` to every subscriber of `namespace`. */
  publish(namespace: string[], message: DriverMessage): void | Promise<void> {
    const legacy = (this as unknown as { dispatch?: (ns: string[], m: DriverMessage) => void | Promise<void> }).dispatch;
    if (typeof legacy === 'function') {
      if (!warnedDispatch) {
        warnedDispatch = true;
        console.warn('peerix: Driver.dispatch() is deprecated, rename it to publish().');
      }
      return legacy.call(this, namespace, message);
    }
    throw new PeerixError('ERR_DRIVER', `${this.constructor.name} implements neither publish() nor dispatch()`);
  }

  /** Removes every subscription and listener the driver added; the user's client stays open. */
  destroy(): void | Promise<void> {}

  /** Reports a transport problem to listeners (the `Peer` re-emits it as `error`). */
  protected reportError(error: PeerixError): void {
    this.emit('error', { error });
  }
}

/** Copies bytes into the plain array form drivers carry. */
export function toDriverMessage(bytes: Uint8Array): DriverMessage {
  return Array.from(bytes);
}

/**
 * Reads what a handler received back into bytes; anything that is not a byte
 * array (or a typed array) is refused, so garbage never reaches the decoder.
 */
export function fromDriverMessage(message: unknown): Uint8Array {
  if (message instanceof Uint8Array) return message;
  if (message instanceof ArrayBuffer) return new Uint8Array(message);
  if (ArrayBuffer.isView(message)) return new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
  if (Array.isArray(message)) {
    const bytes = new Uint8Array(message.length);
    for (let i = 0; i < message.length; i++) {
      const value: unknown = message[i];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 255) {
        throw new PeerixError('ERR_DECODE', `driver message holds a non-byte value at index ${i}`);
      }
      bytes[i] = value;
    }
    return bytes;
  }
  throw new PeerixError('ERR_DECODE', `driver message is a ${message === null ? 'null' : typeof message}, not a byte array`);
}
