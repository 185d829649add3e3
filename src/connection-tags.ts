/**
 * Which connection of a pair a broker message belongs to. One session (one
 * `join()`) can see several connections to the same remote: a broken one is
 * rebuilt through the broker. A late message of an earlier connection (an
 * ICE-restart offer, an answer or candidates a busy broker held back) must
 * not reach a later one: its SDP belongs to another `RTCPeerConnection`
 * ("the order of m-lines does not match"). So each connection gets a tag,
 * counting up per `Peer`, and broker setup messages carry the sender's
 * (`from`) and, once known, the receiver's (`to`) — docs/PROTOCOL.md,
 * "Connection tags". Messages without `from` (older peers) count as current.
 */
import type { SignalMessage } from './signaling/messages.js';

/** Broker messages that belong to one connection. */
type Tagged = Extract<SignalMessage, { kind: 'BrokerOffer' | 'BrokerAnswer' | 'BrokerCandidates' }>;

/**
 * - `current`: for this connection;
 * - `stale`: for an earlier connection (ours or theirs): dropped;
 * - `newer`: from a connection the remote made after this one (it rebuilt): an
 *   offer of it replaces this connection.
 */
export type Placement = 'current' | 'stale' | 'newer';

export class ConnectionTags<Connection extends object> {
  #count = 0;
  readonly #tags = new WeakMap<Connection, { own: number; theirs: number }>();

  /** A new connection: the next tag (a varint of one or two bytes for the first 16,383). */
  assign(connection: Connection): void {
    this.#tags.set(connection, { own: ++this.#count, theirs: 0 });
  }

  /** `message` with this connection's tag and, once known, the remote's. */
  stamp(connection: Connection, message: SignalMessage): SignalMessage {
    const tags = this.#tags.get(connection);
    if (!tags || !isTagged(message)) return message;
    return { ...message, from: tags.own, ...(tags.theirs ? { to: tags.theirs } : {}) };
  }

  /** Where `message` from the remote of `connection` belongs; the first tag heard from it becomes the remote's. */
  place(connection: Connection, message: Tagged): Placement {
    const tags = this.#tags.get(connection);
    if (!tags) return 'stale';
    const { from, to } = message;
    if (to !== undefined && to !== tags.own) return 'stale';
    if (from === undefined || from === tags.theirs) return 'current';
    if (tags.theirs === 0) {
      tags.theirs = from;
      return 'current';
    }
    return from > tags.theirs ? 'newer' : 'stale';
  }
}

function isTagged(message: SignalMessage): message is Tagged {
  return message.kind === 'BrokerOffer' || message.kind === 'BrokerAnswer' || message.kind === 'BrokerCandidates';
}
