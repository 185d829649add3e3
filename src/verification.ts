/**
 * The user's `verify({ id, metadata })` gate: run once per id at a time on
 * metadata that came pair-authenticated; a refusal (or a throw) is reported
 * as ERR_VERIFY and remembered, so a refused id is not asked about again.
 */
import { PeerixError, toPeerixError } from './errors.js';
import type { Metadata, PeerOptions } from './types.js';

/** Ids refused by `verify` that we remember. */
const MAX_REFUSED = 256;

export class Verification {
  readonly #verify: PeerOptions['verify'];
  readonly #error: (error: PeerixError) => void;
  readonly #refused = new Set<string>();
  readonly #verifying = new Set<string>();

  constructor(verify: PeerOptions['verify'], error: (error: PeerixError) => void) {
    this.#verify = verify;
    this.#error = error;
  }

  refused(id: string): boolean {
    return this.#refused.has(id);
  }

  /** Metadata JSON text as an object (`{}` when absent); null, after ERR_DECODE, when it is not a JSON object. */
  parse(sender: string, json: string | undefined): Metadata | null {
    if (json === undefined || json === '') return {};
    try {
      const value: unknown = JSON.parse(json);
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Metadata;
      throw new Error('not an object');
    } catch (error) {
      this.#error(toPeerixError(error, 'ERR_DECODE', 'peer metadata is not a JSON object', sender));
      return null;
    }
  }

  /** True when `verify` admits `sender` with `metadata` (always, without `verify`). */
  async admits(sender: string, metadata: Metadata): Promise<boolean> {
    if (this.#refused.has(sender) || this.#verifying.has(sender)) return false;
    if (!this.#verify) return true;
    this.#verifying.add(sender);
    try {
      if (await this.#verify({ id: sender, metadata })) return true;
      this.#refuse(sender, new PeerixError('ERR_VERIFY', `peer ${sender} was refused by verify()`, { peerId: sender }));
    } catch (error) {
      this.#refuse(sender, toPeerixError(error, 'ERR_VERIFY', 'verify() threw', sender));
    } finally {
      this.#verifying.delete(sender);
    }
    return false;
  }

  /** Leaving: verdicts in progress are forgotten (refusals stay). */
  clear(): void {
    this.#verifying.clear();
  }

  #refuse(sender: string, error: PeerixError): void {
    if (this.#refused.size >= MAX_REFUSED) this.#refused.delete(this.#refused.values().next().value!);
    this.#refused.add(sender);
    this.#error(error);
  }
}
