import { budgetParameters } from './uplink-budget.js';
import type { SenderParameters } from './types.js';

/** One connection's video senders, as the uplink budget sees them (a `LocalMedia`). */
export interface UplinkTarget {
  videoShares(): Array<{ label: string; screen: boolean }>;
  setBudget(label: string, parameters: SenderParameters): void;
}

/**
 * Keeps the video this peer sends, all connections together, inside the uplink
 * budget: whenever a connection's video senders change, the budget is divided
 * again (once per task, however many changes came in it) and every video
 * sender gets its share (`uplink-budget.ts` says how much and at what size).
 */
export class Uplink {
  #budget: number;
  #targets = new Set<UplinkTarget>();
  #scheduled = false;

  constructor(budget: number) {
    this.#budget = budget;
  }

  /** Bits per second for all video senders together (0 = no limit); a change re-divides it. */
  get budget(): number {
    return this.#budget;
  }

  set budget(value: number) {
    if (value === this.#budget) return;
    this.#budget = value;
    this.#schedule();
  }

  /** `target`'s video senders changed (it is forgotten once it has none). */
  changed(target: UplinkTarget): void {
    this.#targets.add(target);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#divide();
    });
  }

  #divide(): void {
    const shares = new Map<UplinkTarget, Array<{ label: string; screen: boolean }>>();
    let cameras = 0;
    let screens = 0;
    for (const target of this.#targets) {
      const list = target.videoShares();
      if (!list.length) {
        this.#targets.delete(target);
        continue;
      }
      shares.set(target, list);
      for (const s of list) s.screen ? screens++ : cameras++;
    }
    for (const [target, list] of shares) {
      for (const s of list) target.setBudget(s.label, budgetParameters(this.#budget, cameras, screens, s.screen));
    }
  }
}
