import { Emitter } from '../emitter.js';
import { createDebug } from '../debug.js';
import { PeerixError } from '../errors.js';

const debug = createDebug('peerix:driver');

/**
 * A signaling message as the documented driver contract carries it: a plain
 * array of byte values (0–255). A custom driver's `publish` gets one of these.
 */
export type DriverMessage = number[];

/**
 * Marks what takes the engine's bytes as a Uint8Array: the built-in drivers'
 * `publish`, and the engine's handlers. Everything else gets plain arrays.
 */
export const TAKES_BYTES = Symbol('peerix.takesBytes');

/** Receives the messages published on a namespace. */
export interface DriverHandler {
  (message: DriverMessage): void;
  /** Set on the engine's handlers: built-in drivers hand them a Uint8Array (custom drivers may too). */
  readonly [TAKES_BYTES]?: boolean;
}

/** A handler that takes bytes: the built-in drivers call it with a Uint8Array, custom drivers with a plain array. */
export function bytesHandler(handler: (message: DriverMessage | Uint8Array) => void): DriverHandler {
  return Object.assign(handler, { [TAKES_BYTES]: true });
}

/**
 * How a built-in driver calls a handler: with its own copy of the message, as
 * a Uint8Array for the engine's handlers and as a plain array (the documented
 * contract) for any other.
 */
export function handOver(handler: DriverHandler, message: DriverMessage | Uint8Array): void {
  if (handler[TAKES_BYTES]) (handler as (message: DriverMessage | Uint8Array) => void)(message.slice());
  else handler(Array.from(message));
}

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
  /** True on drivers that take a Uint8Array in `publish`; any other gets a plain array. */
  declare readonly [TAKES_BYTES]?: boolean;
  /**
   * True when the transport delivers the client's own publishes back to its
   * subscriptions, in the one order every subscriber sees (a single MQTT broker).
   * Peers then tell which of two announces came first without clocks: one offer per pair.
   */
  readonly echoesInOrder: boolean = false;
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
    debug(this.constructor.name, value ? 'active' : 'inactive');
    this.emit('active', { active: value });
  }

  /** True once the driver has reported its state through `active`. */
  get managesActive(): boolean {
    return this.#managesActive;
  }

  abstract subscribe(namespace: string[], handler: DriverHandler): void | Promise<void>;
  abstract unsubscribe(namespace: string[], handler: DriverHandler): void | Promise<void>;

  /** Sends `message` to every subscriber of `namespace`. */
  publish(namespace: string[], message: DriverMessage | Uint8Array): void | Promise<void> {
    const legacy = (this as { dispatch?: (ns: string[], m: DriverMessage | Uint8Array) => void | Promise<void> }).dispatch;
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

/**
 * A message in the form `driver` takes it: the bytes themselves for the
 * built-in drivers, a plain array (the documented contract) for any other.
 */
export function messageFor(driver: Driver, bytes: Uint8Array): DriverMessage | Uint8Array {
  return driver[TAKES_BYTES] ? bytes : Array.from(bytes);
}

/**
 * The one byte check of driver payloads: typed arrays, ArrayBuffers and plain
 * arrays of byte values become bytes (a Uint8Array is used as is, without a
 * copy); anything else is refused with ERR_DECODE, so garbage never reaches
 * the decoder.
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
