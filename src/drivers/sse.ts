import type { DriverOptions } from './driver.js';
import { PeerixError } from '../errors.js';
import { base64urlDecode, base64urlEncode } from '../signaling/encoding.js';
import { PubSubDriver } from './pubsub.js';

export interface SseDriverOptions extends DriverOptions {
  /** The hub endpoint for both the stream (GET) and publishing (POST). Default `/.well-known/mercure`. */
  url?: string;
  /** `fetch` options merged into every publish, e.g. `{ headers: { Authorization: 'Bearer …' } }`. */
  publisher?: RequestInit;
  /** `EventSource` options of the stream. */
  subscriber?: EventSourceInit;
  /** Send cookies with the stream and the publishes (cross-origin hubs must allow credentials). */
  withCredentials?: boolean;
}

/** Milliseconds a burst of (un)subscribes is collected before the stream is reopened. */
const REOPEN_DELAY = 15;

/**
 * Signaling over Server-Sent Events from a Mercure-compatible hub. One
 * `EventSource` on `url?topic=a&topic=b…` carries every subscribed topic
 * (topic = prefix + namespace joined by `/`); publishes are form POSTs of
 * `topic` and `data`. As one stream carries all topics, `data` names its
 * topic: it is the JSON text `{"t":"<topic>","m":"<base64url payload>"}`.
 *
 * When the topic set changes a new stream opens before the old one closes,
 * so nothing is missed; updates seen on both (same `id:`) are delivered once.
 */
export class SseDriver extends PubSubDriver {
  readonly url: string;
  #publisher: RequestInit;
  #subscriber: EventSourceInit;
  #source: EventSource | null = null;
  #next: EventSource | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #retry = 500;
  #seen: string[] = [];
  #destroyed = false;

  constructor({ url = '/.well-known/mercure', publisher = {}, subscriber = {}, withCredentials, ...options }: SseDriverOptions = {}) {
    super(options);
    this.url = url;
    this.#publisher = withCredentials ? { credentials: 'include', ...publisher } : publisher;
    this.#subscriber = withCredentials === undefined ? subscriber : { ...subscriber, withCredentials };
    this.active = false;
    this.#schedule(0); // without subscriptions the driver is ready at once
  }

  protected topic(namespace: string[]): string {
    return this.prefix + namespace.join('/');
  }

  protected open(): void {
    this.#schedule(REOPEN_DELAY);
  }

  protected close(): void {
    this.#schedule(REOPEN_DELAY);
  }

  #schedule(delay: number): void {
    if (this.#destroyed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#reopen(), delay);
  }

  #reopen(): void {
    this.#next?.close();
    this.#next = null;
    if (!this.subs.size) {
      // Publishing needs no stream.
      this.#source?.close();
      this.#source = null;
      return this.ready(true);
    }
    const url = new URL(this.url, globalThis.location?.href);
    for (const topic of this.subs.keys()) url.searchParams.append('topic', topic);
    const source = new EventSource(url, this.#subscriber);
    if (!this.#source) this.#source = source;
    else this.#next = source;
    source.onopen = () => {
      this.#retry = 500;
      if (source === this.#next) {
        this.#source?.close();
        this.#source = source;
        this.#next = null;
      }
      if (source === this.#source) this.ready(true);
    };
    source.onmessage = (event) => this.#receive(event);
    source.onerror = () => {
      if (source === this.#next) return void (source.readyState === EventSource.CLOSED && this.#schedule(this.#retry));
      if (source !== this.#source) return;
      this.ready(false);
      // The browser retries by itself unless the hub answered with an error status.
      if (source.readyState === EventSource.CLOSED) {
        this.#source = null;
        this.#schedule(this.#retry);
        this.#retry = Math.min(this.#retry * 2, 10000);
      }
    };
  }

  #receive({ data, lastEventId }: MessageEvent): void {
    if (lastEventId) {
      if (this.#seen.includes(lastEventId)) return;
      this.#seen.push(lastEventId);
      if (this.#seen.length > 64) this.#seen.shift();
    }
    let update: { t?: unknown } | null = null;
    try {
      update = JSON.parse(data) as { t?: unknown };
    } catch {
      // reported below
    }
    if (typeof update?.t !== 'string') return this.reportError(new PeerixError('ERR_DECODE', 'SseDriver: update is not {"t":topic,"m":payload} JSON'));
    this.deliver(update.t, update, (u) => base64urlDecode((u as { m?: unknown }).m));
  }

  protected async send(topic: string, message: Uint8Array): Promise<void> {
    const headers = new Headers(this.#publisher.headers);
    headers.set('content-type', 'application/x-www-form-urlencoded');
    const data = JSON.stringify({ t: topic, m: base64urlEncode(message) });
    const response = await fetch(this.url, { ...this.#publisher, method: 'POST', headers, body: new URLSearchParams({ topic, data }) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  }

  override destroy(): void {
    this.#destroyed = true;
    clearTimeout(this.#timer);
    this.#source?.close();
    this.#next?.close();
    this.#source = this.#next = null;
    super.destroy();
  }
}
