import type { DriverOptions } from './driver.js';
import { PubSubDriver } from './pubsub.js';

/** The part of a `@nats-io/nats-core` `NatsConnection` (from `wsconnect`) the driver uses. */
export interface NatsConnectionLike {
  subscribe(subject: string, options: { callback: (error: Error | null, msg: { data: Uint8Array }) => void }): { unsubscribe(): void };
  publish(subject: string, payload: Uint8Array): void;
  status(): AsyncIterable<{ type: string }> & { stop?(): void };
  closed(): Promise<void | Error>;
  isClosed(): boolean;
}

export interface NatsDriverOptions extends DriverOptions {
  /** An open connection from `wsconnect()`. */
  nc: NatsConnectionLike;
}

/**
 * Signaling over NATS: subject = prefix + namespace joined by `.`, binary
 * payloads. The client resubscribes by itself after a reconnect; the driver
 * follows its status (`disconnect`, `reconnect`, `close`) for `active`.
 */
export class NatsDriver extends PubSubDriver {
  readonly nc: NatsConnectionLike;
  #subscriptions = new Map<string, { unsubscribe(): void }>();
  #status: ReturnType<NatsConnectionLike['status']> | undefined;

  constructor({ nc, ...options }: NatsDriverOptions) {
    super(options);
    this.nc = nc;
    this.active = false;
    if (nc.isClosed()) return;
    const status = (this.#status = nc.status());
    void (async () => {
      for await (const { type } of status) {
        if (type === 'disconnect' || type === 'close') this.ready(false);
        else if (type === 'reconnect') this.ready(true);
      }
    })().catch(() => {});
    void nc.closed().then(() => this.#status && this.ready(false));
    this.ready(true);
  }

  protected topic(namespace: string[]): string {
    return this.prefix + namespace.join('.');
  }

  protected open(subject: string): void {
    const sub = this.nc.subscribe(subject, {
      callback: (error, msg) => (error ? this.fail(`subscription to ${subject}`, error) : this.deliver(subject, msg.data)),
    });
    this.#subscriptions.set(subject, sub);
  }

  protected close(subject: string): void {
    this.#subscriptions.get(subject)?.unsubscribe();
    this.#subscriptions.delete(subject);
  }

  protected send(subject: string, message: Uint8Array): void {
    this.nc.publish(subject, message);
  }

  override destroy(): void {
    for (const subject of [...this.#subscriptions.keys()]) void this.guard(() => this.close(subject), `unsubscribe from ${subject}`);
    this.#status?.stop?.();
    this.#status = undefined;
    super.destroy();
  }
}
