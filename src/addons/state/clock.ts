/**
 * Hybrid logical clock: wall-clock milliseconds plus a counter, with the
 * writer's id as the final tie-break, so every replica orders any two writes
 * the same way while staying close to real time.
 */
export interface Stamp {
  /** Milliseconds since the epoch (the largest seen, not necessarily ours). */
  wall: number;
  /** Orders writes within one `wall` millisecond. */
  counter: number;
  /** The writer's id: breaks ties between equal wall and counter. */
  node: string;
}

/** Largest wall or counter accepted from anyone: keeps arithmetic exact. */
export const MAX_CLOCK_PART = 2 ** 48;

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`. */
export function compareStamps(a: Stamp, b: Stamp): number {
  if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

export class HybridClock {
  #wall = 0;
  #counter = 0;
  /** Remote clocks further ahead than this are not followed (a wrong or hostile clock). */
  readonly maxDrift: number;
  node: string;
  #now: () => number;

  constructor(node: string, { maxDrift = 60_000, now = Date.now }: { maxDrift?: number; now?: () => number } = {}) {
    this.node = node;
    this.maxDrift = maxDrift;
    this.#now = now;
  }

  /** A stamp for a local write, newer than every stamp this clock made or saw. */
  tick(): Stamp {
    const physical = this.#now();
    if (physical > this.#wall) {
      this.#wall = physical;
      this.#counter = 0;
    } else {
      this.#counter++;
    }
    return { wall: this.#wall, counter: this.#counter, node: this.node };
  }

  /** A stamp for a local write that must also beat `previous` (the value it replaces). */
  tickAfter(previous: Stamp | undefined): Stamp {
    if (previous) this.observe(previous);
    const stamp = this.tick();
    // `previous` may be beyond maxDrift (not followed): win anyway, right after it.
    if (previous && compareStamps(stamp, previous) <= 0) return { wall: previous.wall, counter: previous.counter + 1, node: this.node };
    return stamp;
  }

  /** Moves the clock past a remote stamp, unless that stamp is implausibly far ahead. */
  observe(remote: Stamp): void {
    if (remote.wall > this.#now() + this.maxDrift) return;
    if (remote.wall > this.#wall) {
      this.#wall = remote.wall;
      this.#counter = remote.counter;
    } else if (remote.wall === this.#wall && remote.counter > this.#counter) {
      this.#counter = remote.counter;
    }
  }
}
