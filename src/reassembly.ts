/**
 * Reassembly of chunked data-channel messages (docs/PROTOCOL.md, "Data
 * channel framing"), allocating only as data arrives: the announced total is
 * checked against the caps but never allocated up front, and every byte held
 * counts against the remote peer's budget, across all its channels.
 */
import { PeerixError } from './errors.js';

/** Bytes of partial messages held for one remote peer. */
export class IncomingBudget {
  #used = 0;
  #peak = 0;
  constructor(readonly max: number) {}

  /** Bytes held now. */
  get used(): number {
    return this.#used;
  }

  /** Most bytes held at once so far. */
  get peak(): number {
    return this.#peak;
  }

  take(bytes: number): boolean {
    if (this.#used + bytes > this.max) return false;
    this.#used += bytes;
    this.#peak = Math.max(this.#peak, this.#used);
    return true;
  }

  give(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
  }
}

interface Transfer {
  parts: Uint8Array[];
  received: number;
  total: number;
  isText: boolean;
}

export interface ReassemblyLimits {
  maxIncomingMessage: number;
  maxIncomingTransfers: number;
}

/** A completed message, or progress on one. */
export type Assembled = { done: true; bytes: Uint8Array; isText: boolean; total: number } | { done: false; received: number; total: number };

/** The transfers arriving on one channel. Methods throw PeerixError (ERR_LIMIT, ERR_DECODE). */
export class Reassembly {
  readonly #transfers = new Map<number, Transfer>();
  readonly #limits: ReassemblyLimits;
  readonly #budget: IncomingBudget;

  constructor(limits: ReassemblyLimits, budget: IncomingBudget) {
    this.#limits = limits;
    this.#budget = budget;
  }

  start(id: number, total: number, isText: boolean, chunk: Uint8Array): Assembled {
    if (!Number.isSafeInteger(total) || total < 0) throw new PeerixError('ERR_DECODE', `a message of ${total} bytes is not a size`);
    if (total > this.#limits.maxIncomingMessage) throw new PeerixError('ERR_LIMIT', `refused a ${total}-byte message (limit ${this.#limits.maxIncomingMessage})`);
    if (this.#transfers.has(id)) {
      this.#drop(id);
      throw new PeerixError('ERR_DECODE', `message ${id} started twice`);
    }
    if (this.#transfers.size >= this.#limits.maxIncomingTransfers) {
      throw new PeerixError('ERR_LIMIT', `more than ${this.#limits.maxIncomingTransfers} messages arriving at once`);
    }
    this.#transfers.set(id, { parts: [], received: 0, total, isText });
    return this.append(id, chunk);
  }

  append(id: number, chunk: Uint8Array): Assembled {
    const transfer = this.#transfers.get(id);
    if (!transfer) throw new PeerixError('ERR_DECODE', `chunk for unknown message ${id}`);
    if (transfer.received + chunk.length > transfer.total) {
      this.#drop(id);
      throw new PeerixError('ERR_DECODE', `message ${id} overran its announced size`);
    }
    if (!this.#budget.take(chunk.length)) {
      this.#drop(id);
      throw new PeerixError('ERR_LIMIT', `more than ${this.#budget.max} bytes of partial messages from this peer: dropped message ${id}`);
    }
    // A copy: the frame's buffer is the whole SCTP message, header included.
    transfer.parts.push(chunk.slice());
    transfer.received += chunk.length;
    if (transfer.received < transfer.total) return { done: false, received: transfer.received, total: transfer.total };
    this.#transfers.delete(id);
    const bytes = new Uint8Array(transfer.total);
    let offset = 0;
    for (const part of transfer.parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    this.#budget.give(transfer.total);
    return { done: true, bytes, isText: transfer.isText, total: transfer.total };
  }

  /** Bytes held in this channel's partial messages. */
  get held(): number {
    let held = 0;
    for (const t of this.#transfers.values()) held += t.received;
    return held;
  }

  /** Drops every partial message (the channel closed). */
  clear(): void {
    for (const id of [...this.#transfers.keys()]) this.#drop(id);
  }

  #drop(id: number): void {
    const transfer = this.#transfers.get(id);
    if (!transfer) return;
    this.#transfers.delete(id);
    this.#budget.give(transfer.received);
  }
}
