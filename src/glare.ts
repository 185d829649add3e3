/**
 * Who offers when two peers announce at about the same time. Each peer subscribes before it announces, so the later announce
 * always reaches the earlier announcer, while the earlier one reaches the later
 * announcer only if it had subscribed in time. So the earlier announcer offers
 * (like a member calling a newcomer) and the later one waits for that offer —
 * no fixed hold on either side, and one offer per pair. Announces within
 * SIMULTANEOUS_MS of each other cannot be ordered that way: both offer, and
 * perfect negotiation settles the collision. Sender clocks differ a little: if
 * both end up waiting, the wait's fallback offers.
 *
 * A driver that echoes our own publishes in the one order every subscriber sees
 * (`Driver.echoesInOrder`: one MQTT broker) orders announces exactly, however
 * close: an announce delivered before the echo of ours was published first, so
 * its sender sees ours after its own and offers; one delivered after the echo
 * is ours to call. One offer per pair, simultaneous or not. Bridged brokers
 * deliver a node's own publishes first, so two sides may both offer there, never
 * both wait; the fallback covers a broker that breaks that.
 */

/** Our own announce counts as "just now" for this long: beyond it the other is a newcomer we call. */
export const RECENT_ANNOUNCE_MS = 3000;
/**
 * Announces closer together than this are simultaneous: both sides offer. A
 * timestamp is taken before sealing, the subscription that goes with it reaches
 * the broker only with the announce (subscribe and announce are pipelined), so
 * the earlier timestamp may belong to the peer that subscribed later and missed
 * the other's announce; waiting on it cost the whole fallback (1.5 s). A
 * collision costs one broker message and no time (perfect negotiation).
 */
export const SIMULTANEOUS_MS = 500;

export interface GlareInput {
  /** When we announced (our clock; 0: never). */
  announcedAt: number;
  /** Whether the broker had echoed our announce when theirs was delivered (undefined: the driver does not echo in order). */
  echoed?: boolean;
  /** The sender time of their announce (their clock). */
  theirAnnounce: number;
  now: number;
}

/** 'offer': we call now; 'wait': the other side calls us (we offer only if it does not, after a fallback). */
export function glareDecision({ announcedAt, echoed, theirAnnounce, now }: GlareInput): 'offer' | 'wait' {
  if (!announcedAt || now - announcedAt >= RECENT_ANNOUNCE_MS) return 'offer';
  if (echoed !== undefined) return echoed ? 'offer' : 'wait';
  if (Math.abs(theirAnnounce - announcedAt) < SIMULTANEOUS_MS) return 'offer';
  return theirAnnounce < announcedAt ? 'wait' : 'offer';
}

/** Our latest announce, and whether the broker echoed it yet (see the rule above). */
export class OwnAnnounce {
  #at = 0;
  #echoed: boolean | undefined;

  /** We announce now; `inOrder`: the driver echoes it in the broker's order. */
  sent(inOrder: boolean): void {
    this.#at = Date.now();
    this.#echoed = inOrder ? false : undefined;
  }

  /** The broker delivered our latest announce back to us: announces delivered from now on came after it. */
  echoed(): void {
    if (this.#echoed === false) this.#echoed = true;
  }

  /** Where an announce delivered now stands against ours, for `glareDecision`. */
  view(): Pick<GlareInput, 'announcedAt' | 'echoed'> {
    return { announcedAt: this.#at, echoed: this.#echoed };
  }
}

/**
 * The waits of 'wait' decisions, one per remote id: each ends when that remote's
 * offer made a connection (`settle`), when a newer wait for it replaces it, at
 * `clear`, or after the fallback time, when the waiter offers itself.
 */
export class OfferWaits {
  readonly #waits = new Map<string, (offer: boolean) => void>();

  /** Resolves true when the fallback time passed with no offer (we offer now), false otherwise. */
  wait(id: string, fallbackMs: number): { done: Promise<boolean>; cancel: () => void } {
    this.#waits.get(id)?.(false);
    let end: (offer: boolean) => void = () => {};
    const done = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => end(true), fallbackMs);
      end = (offer) => {
        clearTimeout(timer);
        if (this.#waits.get(id) === end) this.#waits.delete(id);
        resolve(offer);
      };
    });
    this.#waits.set(id, end);
    return { done, cancel: () => end(false) };
  }

  /** `id`'s offer made a connection: its wait ends without an offer of ours. */
  settle(id: string): void {
    this.#waits.get(id)?.(false);
  }

  clear(): void {
    for (const end of [...this.#waits.values()]) end(false);
  }
}
