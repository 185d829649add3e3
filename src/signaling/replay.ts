/**
 * Replay memory for one identity. A `Peer` keeps one across `leave()` and
 * `join()`, so an envelope seen in an earlier session is still refused in a
 * later one (session-bound pair keys refuse it too; this is the second lock).
 */
import { PeerixError } from '../errors.js';

export class ReplayCache {
  /** nonce key → time after which the freshness check alone rejects the message. */
  readonly #seen = new Map<string, number>();
  readonly #bound: number;

  constructor(bound = 4096) {
    this.#bound = Math.max(1, bound);
  }

  get size(): number {
    return this.#seen.size;
  }

  /** Records a nonce, or throws ERR_REPLAY when it is already known. Bounded, expired entries pruned. */
  remember(key: string, expiry: number, now: number, sender?: string): void {
    if (this.#seen.has(key)) throw new PeerixError('ERR_REPLAY', 'message seen before', sender === undefined ? {} : { peerId: sender });
    // Entries arrive roughly in expiry order: prune from the oldest end.
    for (const [oldKey, oldExpiry] of this.#seen) {
      if (oldExpiry >= now && this.#seen.size < this.#bound) break;
      this.#seen.delete(oldKey);
    }
    this.#seen.set(key, expiry);
  }
}
