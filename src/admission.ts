/**
 * Bounds connection setups so that a flood of announces or offers cannot
 * exhaust a peer or keep real newcomers out (docs/SECURITY.md, "Floods"):
 *
 * - every setup in progress — held for glare, in `verify`, connecting — holds
 *   one of `max` slots until it connects or ends;
 * - an offer with no answer within `answerTimeoutMs` gives its slot back;
 * - when every slot is taken, a new request waits (newest first) and takes
 *   the slot of the oldest setup that is at least `minAgeMs` old, which is
 *   evicted: junk setups cannot hold slots, and right after a flood the next
 *   real newcomer is admitted within about `minAgeMs`;
 * - each sender id may start at most `perSender` setups that do not connect
 *   per `perSenderWindowMs` (a peer that rejoins often is not held back).
 */
import { RateWindow } from './rate-window.js';

export interface AdmissionOptions {
  max: number;
  minAgeMs: number;
  answerTimeoutMs: number;
  /** Longest wait for a slot before the request is refused. */
  waitMs: number;
  perSender: number;
  perSenderWindowMs: number;
  now?: () => number;
}

/** One setup in progress. */
export interface SetupSlot {
  readonly id: string;
  /** False once the slot was given back (released or evicted). */
  readonly held: boolean;
  /** What eviction does (cancel the hold, dispose the connection…). */
  onEvict(evict: (reason: 'no-answer' | 'crowded') => void): void;
  /** Starts the answer timer (we sent an offer). */
  awaitAnswer(): void;
  /** The answer came: no answer timer any more. */
  answered(): void;
  /** Gives the slot back (the setup ended). */
  release(): void;
  /** Gives the slot back because the setup connected: it does not count against the sender's rate. */
  connected(): void;
}

interface Waiter {
  id: string;
  grant: (slot: SetupSlot | null) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Most sender ids whose recent setups are remembered for the per-sender rate. */
const MAX_TRACKED_SENDERS = 4096;

export class Admission {
  readonly #options: AdmissionOptions;
  readonly #now: () => number;
  readonly #slots = new Set<Slot>();
  readonly #waiters: Waiter[] = [];
  readonly #recent: RateWindow;
  #wake: ReturnType<typeof setTimeout> | undefined;

  constructor(options: AdmissionOptions) {
    this.#options = { ...options, max: Math.max(1, options.max) };
    this.#now = options.now ?? Date.now;
    this.#recent = new RateWindow(options.perSender, options.perSenderWindowMs, MAX_TRACKED_SENDERS, this.#now);
  }

  /** Setups in progress. */
  get size(): number {
    return this.#slots.size;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * False when `id` started too many setups lately (the caller reports
   * ERR_LIMIT); otherwise counts this one.
   */
  allowSender(id: string): boolean {
    return this.#recent.take(id);
  }

  /**
   * A slot for a setup with `id`: at once when one is free, after an eviction
   * when the oldest setup is old enough, or `null` when the wait fails
   * (a newer request took its place, or `waitMs` passed).
   */
  acquire(id: string): Promise<SetupSlot | null> {
    if (this.#slots.size < this.#options.max && !this.#waiters.length) return Promise.resolve(this.#grant(id));
    return new Promise((resolve) => {
      const waiter: Waiter = {
        id,
        grant: resolve,
        timer: setTimeout(() => this.#dropWaiter(waiter), this.#options.waitMs),
      };
      this.#waiters.push(waiter);
      // Newest first: after a flood, the newcomer is served before the flood's backlog.
      while (this.#waiters.length > this.#options.max) this.#dropWaiter(this.#waiters[0]!);
      this.#pump();
    });
  }

  /** Ends everything (leave): evicts nothing, refuses every waiter. */
  clear(): void {
    clearTimeout(this.#wake);
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.grant(null);
    }
    for (const slot of [...this.#slots]) slot.release();
    this.#recent.clear();
  }

  #dropWaiter(waiter: Waiter): void {
    const index = this.#waiters.indexOf(waiter);
    if (index < 0) return;
    this.#waiters.splice(index, 1);
    clearTimeout(waiter.timer);
    waiter.grant(null);
  }

  #grant(id: string): Slot {
    const slot = new Slot(id, this.#now(), this.#options.answerTimeoutMs, (s) => this.#released(s), () => this.#refund(id));
    this.#slots.add(slot);
    return slot;
  }

  #refund(id: string): void {
    this.#recent.refund(id);
  }

  #released(slot: Slot): void {
    if (this.#slots.delete(slot)) this.#pump();
  }

  /** Serves waiters while slots are free or an old enough setup can be evicted. */
  #pump(): void {
    clearTimeout(this.#wake);
    this.#wake = undefined;
    while (this.#waiters.length) {
      if (this.#slots.size >= this.#options.max) {
        const oldest = this.#oldest();
        if (!oldest) return;
        const age = this.#now() - oldest.since;
        if (age < this.#options.minAgeMs) {
          this.#wake = setTimeout(() => this.#pump(), this.#options.minAgeMs - age);
          return;
        }
        oldest.evict('crowded'); // releases, which re-enters #pump: stop here
        return;
      }
      const waiter = this.#waiters.pop()!;
      clearTimeout(waiter.timer);
      waiter.grant(this.#grant(waiter.id));
    }
  }

  #oldest(): Slot | undefined {
    let oldest: Slot | undefined;
    for (const slot of this.#slots) if (!oldest || slot.since < oldest.since) oldest = slot;
    return oldest;
  }
}

class Slot implements SetupSlot {
  #held = true;
  #evict: (reason: 'no-answer' | 'crowded') => void = () => {};
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly id: string,
    readonly since: number,
    private readonly answerTimeoutMs: number,
    private readonly onRelease: (slot: Slot) => void,
    private readonly onConnected: () => void,
  ) {}

  connected(): void {
    if (!this.#held) return;
    this.release();
    this.onConnected();
  }

  get held(): boolean {
    return this.#held;
  }

  onEvict(evict: (reason: 'no-answer' | 'crowded') => void): void {
    this.#evict = evict;
  }

  awaitAnswer(): void {
    clearTimeout(this.#timer);
    if (this.#held) this.#timer = setTimeout(() => this.evict('no-answer'), this.answerTimeoutMs);
  }

  answered(): void {
    clearTimeout(this.#timer);
  }

  evict(reason: 'no-answer' | 'crowded'): void {
    if (!this.#held) return;
    const evict = this.#evict;
    this.release();
    evict(reason);
  }

  release(): void {
    if (!this.#held) return;
    this.#held = false;
    clearTimeout(this.#timer);
    this.onRelease(this);
  }
}
