/**
 * At most `max` events per id within a sliding window of `windowMs`, for at most
 * `maxIds` ids (the least recently active is forgotten first): the per-sender
 * setup rate of admission.ts and the per-remote rebuilds of membership.ts.
 */
export class RateWindow {
  readonly #events = new Map<string, number[]>();
  readonly #max: number;
  readonly #windowMs: number;
  readonly #maxIds: number;
  readonly #now: () => number;

  constructor(max: number, windowMs: number, maxIds: number, now: () => number = Date.now) {
    this.#max = max;
    this.#windowMs = windowMs;
    this.#maxIds = maxIds;
    this.#now = now;
  }

  /** Counts one event for `id` and returns true, or returns false when `id` is at its limit. */
  take(id: string): boolean {
    const now = this.#now();
    const recent = (this.#events.get(id) ?? []).filter((t) => now - t < this.#windowMs);
    this.#events.delete(id);
    this.#events.set(id, recent);
    if (this.#events.size > this.#maxIds) this.#events.delete(this.#events.keys().next().value!);
    if (recent.length >= this.#max) return false;
    recent.push(now);
    return true;
  }

  /** Takes back the last event of `id` (it turned out not to count). */
  refund(id: string): void {
    this.#events.get(id)?.pop();
  }

  clear(): void {
    this.#events.clear();
  }
}
