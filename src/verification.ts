/**
 * The user's `verify({ id, metadata })` gate: run once per id at a time on
 * metadata that came pair-authenticated; a refusal (or a throw) is reported
 * as ERR_VERIFY and remembered, so a refused id is not asked about again.
 */
import { PeerixError, toPeerixError } from './errors.js';
import type { Metadata, PeerOptions } from './types.js';

/** What verification needs of a connection we offered on (its metadata comes with the answer). */
export interface VerifiedConnection {
  readonly id: string;
  metadata: Metadata;
  readonly state: string;
  dispose(reason: 'refused'): void;
}

/** Ids refused by `verify` that we remember. */
const MAX_REFUSED = 256;

export class Verification<Connection extends VerifiedConnection> {
  readonly #verify: PeerOptions['verify'];
  /** Connections we offered on, whose metadata has not arrived yet, and verdicts in progress. */
  readonly #awaiting = new WeakSet<Connection>();
  readonly #verdicts = new WeakMap<Connection, Promise<boolean>>();
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

  /** We offered on `connection`: the first pair-sealed message with its metadata (the answer, or a crossing offer) is verified. */
  awaitMetadata(connection: Connection): void {
    this.#awaiting.add(connection);
  }

  /** True while `connection` has not brought its metadata. */
  unanswered(connection: Connection): boolean {
    return this.#awaiting.has(connection);
  }

  /** Runs `then` once `connection` passed `verify` with the metadata it sent (now, if it already did); disposes it if refused. */
  async whenVerified(connection: Connection, metadataJson: string | undefined, then: () => void): Promise<void> {
    let verdict = this.#verdicts.get(connection);
    if (!verdict && !this.#awaiting.has(connection)) return then();
    if (!verdict) {
      // The first message with metadata decides; later ones wait for that verdict.
      this.#awaiting.delete(connection);
      const metadata = this.parse(connection.id, metadataJson);
      verdict = metadata ? this.admits(connection.id, metadata).then((ok) => ok && ((connection.metadata = metadata), true)) : Promise.resolve(false);
      this.#verdicts.set(connection, verdict);
    }
    if (!(await verdict)) return connection.dispose('refused');
    if (connection.state !== 'closed') then();
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
