import type { DriverOptions } from './driver.js';
import { base64urlEncode } from '../signaling/encoding.js';
import { PubSubDriver, OUTBOX_LIMIT, fromJson64 } from './pubsub.js';

/** The part of a Supabase Realtime `RealtimeChannel` the driver uses. */
export interface SupabaseChannelLike {
  on(type: 'broadcast', filter: { event: string }, callback: (message: { payload?: unknown }) => void): unknown;
  subscribe(callback: (status: string, error?: Error) => void): unknown;
  send(message: { type: 'broadcast'; event: string; payload: { m: string } }): Promise<unknown>;
}

/** The part of a `@supabase/supabase-js` `SupabaseClient` the driver uses. */
export interface SupabaseClientLike {
  channel(name: string, options: { config: { broadcast: { self: boolean } } }): SupabaseChannelLike;
  removeChannel(channel: SupabaseChannelLike): Promise<unknown>;
}

export interface SupabaseDriverOptions extends DriverOptions {
  /** A client from `createClient(url, key)`. */
  supabase: SupabaseClientLike;
}

/** The broadcast event name the driver sends and listens to. */
const EVENT = 'signal';
/** A channel joined only to publish is left after this long without use (ms). */
const IDLE = 30000;

interface Entry {
  channel: SupabaseChannelLike;
  joined: boolean;
  pending: Uint8Array[];
  idle?: ReturnType<typeof setTimeout>;
}

/**
 * Signaling over Supabase Realtime broadcast: one channel per namespace
 * (prefix + namespace joined by `:`), `self: false` so a client never hears
 * itself, payload `{ "m": "<base64url>" }`. Realtime only takes broadcasts
 * from a joined channel, so publishing to a namespace joins its channel
 * first (and leaves it after 30 s unused). `active` is false while a
 * subscribed channel is not joined; the client rejoins them after a reconnect.
 */
export class SupabaseDriver extends PubSubDriver {
  readonly supabase: SupabaseClientLike;
  #channels = new Map<string, Entry>();
  #dead = false;

  constructor({ supabase, ...options }: SupabaseDriverOptions) {
    super(options);
    this.supabase = supabase;
    this.active = false;
    queueMicrotask(() => this.#update());
  }

  protected topic(namespace: string[]): string {
    return this.prefix + namespace.join(':');
  }

  #entry(topic: string): Entry {
    let entry = this.#channels.get(topic);
    if (entry) return entry;
    const channel = this.supabase.channel(topic, { config: { broadcast: { self: false } } });
    const e: Entry = (entry = { channel, joined: false, pending: [] });
    this.#channels.set(topic, e);
    channel.on('broadcast', { event: EVENT }, (message) => this.deliver(topic, message.payload, fromJson64));
    channel.subscribe((status, error) => {
      if (this.#channels.get(topic) !== e) return;
      e.joined = status === 'SUBSCRIBED';
      if (e.joined) for (const message of e.pending.splice(0)) this.#push(topic, e, message);
      else if (status !== 'CLOSED') this.fail(`joining ${topic} (${status})`, error);
      this.#update();
    });
    return e;
  }

  /** Active unless a subscribed channel is not joined (publishing joins its channel anyway). */
  #update(): void {
    if (this.#dead) return;
    for (const [topic, e] of this.#channels) if (!e.joined && this.subs.has(topic)) return this.ready(false);
    this.ready(true);
  }

  #push(topic: string, e: Entry, message: Uint8Array): void {
    void this.guard(async () => {
      const result = await e.channel.send({ type: 'broadcast', event: EVENT, payload: { m: base64urlEncode(message) } });
      if (result !== 'ok') throw new Error(String(result));
    }, `publish to ${topic}`);
  }

  #remove(topic: string): void {
    const e = this.#channels.get(topic);
    if (!e) return;
    clearTimeout(e.idle);
    this.#channels.delete(topic);
    void this.guard(async () => void (await this.supabase.removeChannel(e.channel)), `leaving ${topic}`);
  }

  #keep(topic: string, e: Entry): void {
    clearTimeout(e.idle);
    if (!this.subs.has(topic)) e.idle = setTimeout(() => this.#remove(topic), IDLE);
  }

  protected open(topic: string): void {
    const e = this.#entry(topic);
    clearTimeout(e.idle);
    this.#update();
  }

  protected close(topic: string): void {
    const e = this.#channels.get(topic);
    if (e?.pending.length) this.#keep(topic, e);
    else this.#remove(topic);
  }

  protected send(topic: string, message: Uint8Array): void {
    const e = this.#entry(topic);
    this.#keep(topic, e);
    if (e.joined) this.#push(topic, e, message);
    else if (e.pending.length < OUTBOX_LIMIT) e.pending.push(message);
    else this.hold(topic, message);
  }

  override destroy(): void {
    this.#dead = true;
    for (const topic of [...this.#channels.keys()]) this.#remove(topic);
    super.destroy();
  }
}
