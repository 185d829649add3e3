import type { DriverOptions } from './driver.js';
import { PeerixError } from '../errors.js';
import { PubSubDriver } from './pubsub.js';

type Listener = (...args: unknown[]) => void;

/** The part of a `socket.io-client` `Socket` the driver uses. */
export interface SocketLike {
  readonly connected: boolean;
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
  timeout(ms: number): { emit(event: string, ...args: unknown[]): unknown };
}

export interface SocketIoDriverOptions extends DriverOptions {
  /** A socket from `io(url)`. */
  socket: SocketLike;
  /** How long the server has to acknowledge `subscribe`, `unsubscribe` and `dispatch` (ms, default 5000). */
  ackTimeout?: number;
}

/**
 * Signaling through a Socket.IO server that relays by namespace. Client to
 * server: `prefix+'subscribe'` / `'unsubscribe'` (namespace) and
 * `prefix+'dispatch'` (namespace, payload), each acknowledged; server to
 * client: `prefix+'message'` (namespace, payload). Payloads are binary.
 * Rooms live on the server per connection, so the driver subscribes again
 * after every reconnect.
 */
export class SocketIoDriver extends PubSubDriver {
  readonly socket: SocketLike;
  readonly ackTimeout: number;
  #onMessage = (topic: unknown, payload: unknown): void => {
    if (typeof topic === 'string') this.deliver(topic, payload);
    else this.reportError(new PeerixError('ERR_DECODE', 'SocketIoDriver: message without a namespace'));
  };
  #onConnect = (): void => {
    for (const topic of this.subs.keys()) this.open(topic);
    this.ready(true);
  };
  #onDisconnect = (): void => this.ready(false);

  constructor({ socket, ackTimeout = 5000, ...options }: SocketIoDriverOptions) {
    super(options);
    this.socket = socket;
    this.ackTimeout = ackTimeout;
    this.active = false;
    socket.on(this.prefix + 'message', this.#onMessage);
    socket.on('connect', this.#onConnect);
    socket.on('disconnect', this.#onDisconnect);
    if (socket.connected) this.ready(true);
  }

  protected topic(namespace: string[]): string {
    return namespace.join(':');
  }

  #emit(event: string, topic: string, ...payload: Uint8Array[]): void {
    this.socket.timeout(this.ackTimeout).emit(this.prefix + event, topic, ...payload, (error: unknown) => {
      if (error) this.fail(`${event} on ${topic} (no acknowledgement within ${this.ackTimeout} ms)`, error);
    });
  }

  // While disconnected the server forgets the rooms anyway: subscribe on connect.
  protected open(topic: string): void {
    if (this.socket.connected) this.#emit('subscribe', topic);
  }

  protected close(topic: string): void {
    if (this.socket.connected) this.#emit('unsubscribe', topic);
  }

  protected send(topic: string, message: Uint8Array): void {
    this.#emit('dispatch', topic, message);
  }

  override destroy(): void {
    const { socket } = this;
    socket.off(this.prefix + 'message', this.#onMessage);
    socket.off('connect', this.#onConnect);
    socket.off('disconnect', this.#onDisconnect);
    for (const topic of this.subs.keys()) this.close(topic);
    super.destroy();
  }
}
