import type { DriverOptions } from './driver.js';
import { base64urlEncode } from '../signaling/encoding.js';
import { PubSubDriver, fromJson64 } from './pubsub.js';

type Publication = (ctx: { data: unknown }) => void;
type StateListener = () => void;

/** The part of a `centrifuge` `Subscription` the driver uses. */
export interface CentrifugeSubscriptionLike {
  on(event: 'publication', listener: Publication): unknown;
  removeListener(event: 'publication', listener: Publication): unknown;
  subscribe(): void;
}

/** The part of a `centrifuge` `Centrifuge` client the driver uses. */
export interface CentrifugeLike {
  readonly state: string;
  newSubscription(channel: string): CentrifugeSubscriptionLike;
  getSubscription(channel: string): CentrifugeSubscriptionLike | null;
  removeSubscription(subscription: CentrifugeSubscriptionLike | null): void;
  publish(channel: string, data: unknown): Promise<unknown>;
  on(event: 'connected' | 'connecting' | 'disconnected', listener: StateListener): unknown;
  removeListener(event: 'connected' | 'connecting' | 'disconnected', listener: StateListener): unknown;
}

export interface CentrifugeDriverOptions extends DriverOptions {
  /** A client from `new Centrifuge(url)`; `connect()` may be called before or after. */
  centrifuge: CentrifugeLike;
}

/**
 * Signaling over Centrifugo channels: channel = prefix + namespace joined by
 * `:`, payload `{ "m": "<base64url>" }` (Centrifugo's JSON protocol carries
 * no raw bytes). Publishes go through the client (`centrifuge.publish`), so
 * the server must allow client publishes without a subscription. The
 * client resubscribes by itself after a reconnect.
 */
export class CentrifugeDriver extends PubSubDriver {
  readonly centrifuge: CentrifugeLike;
  #own = new Map<string, [CentrifugeSubscriptionLike, Publication, boolean]>();
  #onUp = (): void => this.ready(true);
  #onDown = (): void => this.ready(false);

  constructor({ centrifuge, ...options }: CentrifugeDriverOptions) {
    super(options);
    this.centrifuge = centrifuge;
    this.active = false;
    centrifuge.on('connected', this.#onUp);
    centrifuge.on('connecting', this.#onDown);
    centrifuge.on('disconnected', this.#onDown);
    if (centrifuge.state === 'connected') this.ready(true);
  }

  protected topic(namespace: string[]): string {
    return this.prefix + namespace.join(':');
  }

  protected open(channel: string): void {
    const { centrifuge } = this;
    const existing = centrifuge.getSubscription(channel);
    const sub = existing ?? centrifuge.newSubscription(channel);
    const listener: Publication = (ctx) => this.deliver(channel, ctx.data, fromJson64);
    sub.on('publication', listener);
    this.#own.set(channel, [sub, listener, !existing]);
    sub.subscribe();
  }

  protected close(channel: string): void {
    const entry = this.#own.get(channel);
    if (!entry) return;
    this.#own.delete(channel);
    entry[0].removeListener('publication', entry[1]);
    // A subscription the app made itself stays.
    if (entry[2]) this.centrifuge.removeSubscription(entry[0]);
  }

  protected async send(channel: string, message: Uint8Array): Promise<void> {
    await this.centrifuge.publish(channel, { m: base64urlEncode(message) });
  }

  override destroy(): void {
    const { centrifuge } = this;
    centrifuge.removeListener('connected', this.#onUp);
    centrifuge.removeListener('connecting', this.#onDown);
    centrifuge.removeListener('disconnected', this.#onDown);
    for (const channel of [...this.#own.keys()]) void this.guard(() => this.close(channel), `unsubscribe from ${channel}`);
    super.destroy();
  }
}
