/**
 * Which session of each remote identity is current (docs/SECURITY.md,
 * "Sessions"): the session of each connection, and the newest session seen
 * per identity, so that a message of an older session (a replay, or one a
 * broker held back) cannot displace a newer one.
 */
import { PeerixError } from './errors.js';

/** A remote's session: its nonce and the sender time of the message that made it known. */
export interface SessionInfo {
  session: string;
  since: number;
}

/** Most identities whose newest session is remembered. */
const MAX_IDENTITIES = 1024;
/** Most ended setups remembered, so their late messages are told from unknown ones. */
const MAX_ENDED = 1024;

export class Sessions<Connection extends object> {
  readonly #of = new WeakMap<Connection, SessionInfo>();
  readonly #latest = new Map<string, SessionInfo>();
  readonly #ended = new Set<string>();

  /** The session a connection was set up in. */
  of(connection: Connection): string | undefined {
    return this.#of.get(connection)?.session;
  }

  bind(connection: Connection, info: SessionInfo): void {
    this.#of.set(connection, info);
  }

  /** The connection with peer `id` ended: late messages of its session are expected. */
  end(id: string, connection: Connection): void {
    const session = this.of(connection);
    if (session) this.endSetup(id, session);
  }

  /** A setup with peer `id` in `session` ended (or was declined before it had a connection). */
  endSetup(id: string, session: string): void {
    this.#ended.add(`${id}.${session}`);
    if (this.#ended.size > MAX_ENDED) this.#ended.delete(this.#ended.values().next().value!);
  }

  /** True when a connection with peer `id` in `session` ended here (one of the last 1,024). */
  ended(id: string, session: string): boolean {
    return this.#ended.has(`${id}.${session}`);
  }

  /**
   * Throws ERR_REPLAY for a session older than the newest authenticated one of
   * `sender`. Only pair-sealed messages (`authenticated`) make a session the
   * newest: an announce with a forged future time must not lock the real peer out.
   */
  check(sender: string, info: SessionInfo, authenticated: boolean): void {
    const latest = this.#latest.get(sender);
    if (latest && latest.session !== info.session && info.since < latest.since) {
      throw new PeerixError('ERR_REPLAY', `a message from an earlier session of ${sender}`, { peerId: sender });
    }
    if (authenticated && latest?.session !== info.session) {
      this.#latest.delete(sender);
      this.#latest.set(sender, info);
      if (this.#latest.size > MAX_IDENTITIES) this.#latest.delete(this.#latest.keys().next().value!);
    }
  }
}
