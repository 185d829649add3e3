import { Admission, type SetupSlot } from './admission.js';
import { ConnectionTags } from './connection-tags.js';
import { createDebug } from './debug.js';
import { PeerixError, toPeerixError } from './errors.js';
import { RateWindow } from './rate-window.js';
import { RemotePeer, type DisposeReason, type RemoteHost } from './remote-peer.js';
import { publicKeyFromId } from './signaling/crypto.js';
import type { OpenedEnvelope } from './signaling/envelope.js';
import type { MessageOf, SignalMessage } from './signaling/messages.js';
import { OfferWaits, glareDecision, type OwnAnnounce } from './glare.js';
import { Sessions, type SessionInfo } from './sessions.js';
import type { Metadata, OpenOptions, PeerOptions } from './types.js';
import { Verification } from './verification.js';

const debug = createDebug('peerix:peer');

type BrokerOffer = MessageOf<'BrokerOffer'>;
type BrokerCandidates = MessageOf<'BrokerCandidates'>;

/** Candidate messages kept for an offer still waiting for its setup slot or verdict. */
const MAX_EARLY_CANDIDATES = 8;

/** Rebuilds through the broker allowed per remote within REBUILD_WINDOW_MS. */
const MAX_REBUILDS = 3;
const REBUILD_WINDOW_MS = 60_000;
/** The later of two announcers waits this long for the earlier one's offer, then offers itself (glare.ts). */
const OFFER_FALLBACK_MS = 1500;
/** Newer sessions remembered for calls still up (see #remember). */
const MAX_REJOINED = 256;
/** Setup admission (see admission.ts): eviction age, answer timeout, wait, per-sender rate. */
const SETUP_MIN_AGE_MS = 1000;
// A loaded Firefox gathering TURN candidates took over 5 s to answer; a crowded flood is
// bounded by SETUP_MIN_AGE_MS eviction, not by this timer.
const ANSWER_TIMEOUT_MS = 15_000;
const SETUP_WAIT_MS = 10_000;
const SETUPS_PER_SENDER = 4;
const SETUPS_PER_SENDER_WINDOW_MS = 10_000;

export interface MembershipHooks {
  /** The `Peer`'s connections map, kept here. */
  readonly connections: Map<string, RemotePeer>;
  /** What every new `RemotePeer` gets from its `Peer`. */
  readonly host: RemoteHost;
  localId(): string;
  /** True while the `Peer` is in a room (messages are ignored otherwise). */
  joined(): boolean;
  /** Our latest announce (for the glare rule). */
  readonly ownAnnounce: OwnAnnounce;
  announce(): Promise<void>;
  /** Starts deriving the pair key with a remote's session now, so the first offer does not wait for it. */
  warmKey(id: string, session: string): void;
  /** Channels opened at the `Peer` level, opened on every new connection. */
  channelOptions(): Iterable<OpenOptions>;
  error(error: PeerixError): void;
}

/**
 * Who is in the room with us, as the broker tells it: announces and offers
 * become connections, within the setup bounds (admission), once `verify`
 * admits them, each bound to its remote's session so older sessions cannot
 * displace newer ones. Answers, candidates and goodbyes go to their setup.
 */
export class Membership {
  #hooks: MembershipHooks;
  #options: Required<Pick<PeerOptions, 'maxPendingConnections'>> & Pick<PeerOptions, 'verify'>;
  #connections: Map<string, RemotePeer>;
  #admission: Admission;
  /** Each remote's session, and the setup slot it holds until it connects. */
  #sessions = new Sessions<RemotePeer>();
  #slotOf = new WeakMap<RemotePeer, SetupSlot>();
  #verification: Verification<RemotePeer>;
  /** Which connection of a pair each broker message belongs to (one session may rebuild several). */
  #tags = new ConnectionTags<RemotePeer>();
  #rebuilds = new RateWindow(MAX_REBUILDS, REBUILD_WINDOW_MS, 1024);
  /** Announces whose offer we hold back while the other side offers (see glare.ts). */
  #waits = new OfferWaits();
  /** Candidates that came while the offer they follow waits for its slot or `verify` (per sender). */
  #early = new Map<string, { session: string; messages: BrokerCandidates[] }>();
  /** A newer session announced by a peer we still have a call with: called once that call ends. */
  #rejoined = new Map<string, SessionInfo>();

  constructor(hooks: MembershipHooks, options: Required<Pick<PeerOptions, 'maxPendingConnections'>> & Pick<PeerOptions, 'verify'>) {
    this.#hooks = hooks;
    this.#options = options;
    this.#connections = hooks.connections;
    this.#verification = new Verification(options.verify, (error) => this.#error(error));
    this.#admission = new Admission({
      max: options.maxPendingConnections,
      minAgeMs: SETUP_MIN_AGE_MS,
      answerTimeoutMs: ANSWER_TIMEOUT_MS,
      waitMs: SETUP_WAIT_MS,
      perSender: SETUPS_PER_SENDER,
      perSenderWindowMs: SETUPS_PER_SENDER_WINDOW_MS,
    });
  }

  /** The session `remote` was set up in (its broker messages are sealed for it). */
  sessionOf(remote: RemotePeer): string | undefined {
    return this.#sessions.of(remote);
  }

  /** Publishes `message` to `remote` through `send`, sealed for its session (nothing if it has none) and tagged for its connection. */
  async sendTo(remote: RemotePeer, message: SignalMessage, send: (id: string, session: string, message: SignalMessage) => Promise<void>): Promise<void> {
    const session = this.#sessions.of(remote);
    if (session) await send(remote.id, session, this.#tags.stamp(remote, message));
  }

  /** A connected setup gives its slot back. */
  connected(remote: RemotePeer): void {
    this.#slotOf.get(remote)?.connected();
  }

  /** Leaving: every setup bound is forgotten. */
  clear(): void {
    this.#admission.clear();
    this.#verification.clear();
    this.#waits.clear();
    this.#early.clear();
    this.#rebuilds.clear();
    this.#rejoined.clear();
  }

  #error(error: PeerixError): void {
    this.#hooks.error(error);
  }

  /** A message from the broker, opened and authenticated by the signaler. */
  receive({ sender, session, timestamp, message, addressed }: OpenedEnvelope): void {
    if (!this.#hooks.joined() || sender === this.#hooks.localId()) return;
    if ((message.kind === 'Announce') === addressed) {
      this.#error(new PeerixError('ERR_UNEXPECTED', `${message.kind} arrived on the ${addressed ? 'peer' : 'room'} namespace`, { peerId: sender }));
      return;
    }
    const info = { session, since: timestamp };
    if (message.kind === 'Announce') return void this.#onAnnounce(sender, info);
    if (message.kind === 'BrokerOffer') return this.#onOffer(sender, info, message);
    // BrokerAnswer, BrokerCandidates and BrokerLeave belong to the setup of their session; late ones of an ended setup are expected.
    const remote = this.#connections.get(sender);
    const early = remote ? undefined : this.#early.get(sender);
    if (early?.session === session && message.kind === 'BrokerCandidates') return this.#holdEarly(sender, early.messages, message);
    if (!remote && this.#sessions.ended(sender, session)) return debug('late', message.kind, 'of an ended setup with', sender.slice(0, 8));
    if (!remote || this.#sessions.of(remote) !== session) {
      this.#error(new PeerixError(remote ? 'ERR_REPLAY' : 'ERR_UNEXPECTED', `${message.kind} from ${sender} outside a setup with its session`, { peerId: sender }));
      return;
    }
    // An answer or candidates of another connection of this session (rebuilt since) are late, not wrong.
    if ((message.kind === 'BrokerAnswer' || message.kind === 'BrokerCandidates') && this.#tags.place(remote, message) !== 'current') {
      return debug('late', message.kind, 'of another connection with', sender.slice(0, 8));
    }
    switch (message.kind) {
      case 'BrokerAnswer':
        this.#slotOf.get(remote)?.answered();
        this.#fresher(sender, info, true);
        return void this.#verification.whenVerified(remote, message.metadata, () => remote.receiveBrokerDescription(message.description));
      case 'BrokerCandidates':
        return remote.receiveBrokerCandidates(message);
      case 'BrokerLeave':
        return remote.dispose('left');
      default:
        this.#error(new PeerixError('ERR_UNEXPECTED', `${message.kind} is an in-band message, not a broker one`, { peerId: sender }));
    }
  }

  /** False (after ERR_REPLAY) for a message of an earlier session of `sender`. */
  #fresher(sender: string, info: SessionInfo, authenticated: boolean): boolean {
    try {
      this.#sessions.check(sender, info, authenticated);
      return true;
    } catch (error) {
      this.#error(toPeerixError(error, 'ERR_REPLAY', 'an earlier session', sender));
      return false;
    }
  }

  async #onAnnounce(sender: string, info: SessionInfo): Promise<void> {
    const ours = this.#hooks.ownAnnounce.view(); // as delivered: our echo may come while this waits below
    if (!this.#fresher(sender, info, false)) return;
    const existing = this.#connections.get(sender);
    if (existing) {
      const sameSession = this.#sessions.of(existing) === info.session;
      // An announce is not authenticated to its sender (any member can seal one), so it never
      // displaces a call (a `disconnected` one may recover; liveness decides, and a rebuild
      // announce may be for another pair); it replaces only a setup still waiting for its first answer.
      const unanswered = this.#verification.unanswered(existing) && existing.state !== 'connected';
      const call = existing.state === 'connected' || existing.state === 'disconnected';
      if (call || ((existing.state === 'new' || existing.state === 'connecting') && (sameSession || !unanswered))) {
        // A rejoin (its announce may beat its goodbye): called as soon as the old call ends.
        if (!sameSession) this.#remember(sender, info);
        return;
      }
      existing.dispose('replaced');
    }
    const slot = await this.#setup(sender);
    if (!slot) return;
    let evicted = false;
    slot.onEvict(() => (evicted = true));
    try {
      await publicKeyFromId(sender); // broadcasts' sender ids are checked here, once admitted
    } catch (error) {
      slot.release();
      return this.#error(toPeerixError(error, 'ERR_INVALID_ID', 'an announce from an invalid peer id', sender));
    }
    this.#hooks.warmKey(sender, info.session); // only for an admitted announce: a flood derives nothing
    const decision = glareDecision({ ...ours, theirAnnounce: info.since, now: Date.now() });
    if (decision === 'wait') {
      debug('wait for the offer of', sender.slice(0, 8), ours.echoed === false ? '(its announce came first)' : '(it announced earlier)');
      const { done, cancel } = this.#waits.wait(sender, OFFER_FALLBACK_MS);
      slot.onEvict(() => ((evicted = true), cancel()));
      // Their offer made the connection, or a newer announce took over: nothing to do here.
      if (!(await done)) return evicted ? undefined : slot.release();
    }
    if (evicted) return;
    if (this.#connections.has(sender) || !this.#hooks.joined()) return slot.release();
    // Verified when its answer brings its (pair-authenticated) metadata.
    this.#createRemote(sender, info, slot, null);
  }

  #onOffer(sender: string, info: SessionInfo, offer: BrokerOffer): void {
    if (!this.#fresher(sender, info, true)) return;
    const remote = this.#connections.get(sender);
    if (remote) {
      if (this.#sessions.of(remote) === info.session) {
        const placement = this.#tags.place(remote, offer);
        if (placement === 'stale') return debug('late offer of an earlier connection with', sender.slice(0, 8));
        if (placement === 'current') {
          // Glare, or an ICE restart: same connection. Their offer is as good as an answer.
          this.#slotOf.get(remote)?.answered();
          return void this.#verification.whenVerified(remote, offer.metadata, () => remote.receiveBrokerDescription(offer.description));
        }
      }
      remote.dispose('replaced'); // the peer rejoined (its new session wins) or rebuilt its side of the call
    }
    void this.#onFirstOffer(sender, info, offer);
  }

  async #onFirstOffer(sender: string, info: SessionInfo, offer: BrokerOffer): Promise<void> {
    // Its candidates may come while it waits: kept, then handed to the connection it makes.
    const early = { session: info.session, messages: [] as BrokerCandidates[] };
    this.#early.set(sender, early);
    const remote = await this.#setupFromOffer(sender, info, offer);
    if (this.#early.get(sender) === early) this.#early.delete(sender);
    if (!remote) return this.#sessions.endSetup(sender, info.session); // declined: its late messages are expected
    for (const candidates of early.messages) if (this.#tags.place(remote, candidates) === 'current') remote.receiveBrokerCandidates(candidates);
  }

  #holdEarly(sender: string, held: BrokerCandidates[], message: BrokerCandidates): void {
    if (held.length < MAX_EARLY_CANDIDATES) held.push(message);
    else this.#error(new PeerixError('ERR_LIMIT', `more than ${MAX_EARLY_CANDIDATES} candidate messages from ${sender} before its setup began: dropped`, { peerId: sender }));
  }

  /** The connection `offer` goes to once admitted and verified (a new one, or ours of this session after a glare); null if declined. */
  async #setupFromOffer(sender: string, info: SessionInfo, offer: BrokerOffer): Promise<RemotePeer | null> {
    const metadata = this.#verification.parse(sender, offer.metadata);
    if (!metadata) return null;
    const slot = await this.#setup(sender);
    if (!slot) return null;
    let evicted = false;
    slot.onEvict(() => (evicted = true));
    if (!(await this.#verification.admits(sender, metadata)) || evicted || !this.#hooks.joined()) return (slot.release(), null);
    const current = this.#connections.get(sender);
    const placement = current && this.#sessions.of(current) === info.session ? this.#tags.place(current, offer) : 'newer';
    if (current && placement !== 'newer') {
      // A connection of this session was made meanwhile: our own offer (glare) or, if the offer is stale, a later one.
      slot.release();
      if (placement === 'current') current.receiveBrokerDescription(offer.description);
      return current;
    }
    current?.dispose('replaced');
    const remote = this.#createRemote(sender, info, slot, metadata);
    this.#tags.place(remote, offer); // its tag is the remote's from now on
    remote.receiveBrokerDescription(offer.description);
    return remote;
  }

  /** A newer session in an (unauthenticated) announce never ends a call: remembered, called when it ends. */
  #remember(sender: string, info: SessionInfo): void {
    const known = this.#rejoined.get(sender);
    if (known && known.since > info.since) return;
    this.#rejoined.delete(sender);
    this.#rejoined.set(sender, info);
    if (this.#rejoined.size > MAX_REJOINED) this.#rejoined.delete(this.#rejoined.keys().next().value!);
  }

  /** A setup slot for `sender`, within its rate and the pending bound; null (after ERR_LIMIT) otherwise. */
  async #setup(sender: string): Promise<SetupSlot | null> {
    if (this.#verification.refused(sender)) return null;
    if (!this.#admission.allowSender(sender)) {
      this.#error(new PeerixError('ERR_LIMIT', `${sender} starts setups too often: ignored`, { peerId: sender }));
      return null;
    }
    const slot = await this.#admission.acquire(sender);
    if (!slot && this.#hooks.joined()) {
      this.#error(new PeerixError('ERR_LIMIT', `more than ${this.#options.maxPendingConnections} connections in setup: ignored ${sender}`, { peerId: sender }));
    }
    return this.#hooks.joined() ? slot : (slot?.release(), null);
  }

  /** A connection to `id` in `session`; `metadata` null: we offer, and verify on its answer. */
  #createRemote(id: string, session: SessionInfo, slot: SetupSlot, metadata: Metadata | null): RemotePeer {
    this.#waits.settle(id);
    this.#rejoined.delete(id);
    const offerer = metadata === null;
    const remote = new RemotePeer(this.#hooks.host, id, metadata ?? {}, offerer);
    this.#connections.set(id, remote);
    this.#sessions.bind(remote, session);
    this.#tags.assign(remote);
    this.#slotOf.set(remote, slot);
    if (offerer) {
      this.#verification.awaitMetadata(remote);
      slot.awaitAnswer();
    }
    slot.onEvict((reason) => {
      const noAnswer = reason === 'no-answer';
      this.#error(new PeerixError(noAnswer ? 'ERR_TIMEOUT' : 'ERR_LIMIT', noAnswer ? `no answer from ${id}: setup dropped` : `setups crowded: dropped the oldest, to ${id}`, { peerId: id }));
      remote.dispose('refused');
    });
    for (const options of this.#hooks.channelOptions()) remote.open(options);
    return remote;
  }

  /** A connection ended: its slot is given back, and a broken path is rebuilt through the broker (a few times at most). */
  disposed(remote: RemotePeer, reason: DisposeReason): void {
    this.#slotOf.get(remote)?.release();
    this.#sessions.end(remote.id, remote);
    if (this.#connections.get(remote.id) === remote) this.#connections.delete(remote.id);
    if (!this.#hooks.joined()) return;
    const rejoin = this.#rejoined.get(remote.id);
    if (rejoin && rejoin.session !== this.#sessions.of(remote) && reason !== 'replaced' && reason !== 'refused') {
      // The call of its earlier session ended: the newer session it announced is called now.
      this.#rejoined.delete(remote.id);
      if (!this.#connections.has(remote.id)) return void this.#onAnnounce(remote.id, rejoin);
    }
    if (reason !== 'failed' && reason !== 'vanished') return;
    // The path may have broken while the peer lives: offer a rebuild through the broker, a few times at most.
    if (!this.#rebuilds.take(remote.id)) return;
    debug('rebuild through the broker for', remote.id.slice(0, 8));
    void this.#hooks.announce();
  }
}
