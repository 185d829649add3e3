import type { Addon } from './addons/addon.js';
import { createDebug } from './debug.js';
import { Driver, type DriverEvents } from './drivers/driver.js';
import { MemoryDriver } from './drivers/memory.js';
import { Admission, type SetupSlot } from './admission.js';
import { Emitter, type Listener } from './emitter.js';
import { PeerixError, toPeerixError } from './errors.js';
import { resolveRtc, type Rtc } from './rtc.js';
import { RemotePeer, type DisposeReason, type PeerEvents, type RemoteHost } from './remote-peer.js';
import { findShare, liveTracks, toShareEntry, type ShareEntry, type ShareTarget } from './shares.js';
import { resolveLimits, type RemoteLimits } from './limits.js';
import { createIdentity, publicKeyFromId, type Identity } from './signaling/crypto.js';
import type { OpenedEnvelope } from './signaling/envelope.js';
import type { CompactDescription } from './signaling/messages.js';
import { ReplayCache } from './signaling/replay.js';
import { Signaler } from './signaling/signaler.js';
import { Sessions, type SessionInfo } from './sessions.js';
import type {
  JoinOptions,
  Metadata,
  OpenOptions,
  PeerOptions,
  PeerState,
  SendData,
  SendOptions,
  ShareOptions,
} from './types.js';

const debug = createDebug('peerix:peer');

const MAX_METADATA_BYTES = 4096;
/** Rebuilds through the broker allowed per remote within REBUILD_WINDOW_MS. */
const MAX_REBUILDS = 3;
const REBUILD_WINDOW_MS = 60_000;
/**
 * When two peers announce at about the same time, both would offer. The
 * polite one (greater id) holds back this long after its own announce, so the
 * other's offer usually arrives first and the pair needs one offer, not two.
 */
const GLARE_HOLD_MS = 40;
const RECENT_ANNOUNCE_MS = 3000;
/** Ids refused by `verify` that we remember, so they are not asked about again and again. */
const MAX_REFUSED = 256;
/** Setup admission (see admission.ts): eviction age, answer timeout, wait, per-sender rate. */
const SETUP_MIN_AGE_MS = 1000;
// A loaded Firefox gathering TURN candidates took over 5 s to answer; a crowded flood is
// bounded by SETUP_MIN_AGE_MS eviction, not by this timer.
const ANSWER_TIMEOUT_MS = 15_000;
const SETUP_WAIT_MS = 10_000;
const SETUPS_PER_SENDER = 4;
const SETUPS_PER_SENDER_WINDOW_MS = 10_000;


/**
 * A peer in a room: finds the others through a signaling `Driver` and keeps
 * one `RTCPeerConnection` to each, over which it shares streams and data
 * channels. See the README for the whole API.
 */
export class Peer extends Emitter<PeerEvents> {
  /** Connections to the other peers in the room, by peer id. */
  readonly connections = new Map<string, RemotePeer>();
  /** The signaling driver. */
  readonly driver: Driver;
  /** Resolves once the peer's key pair (and so its `id`) exists. */
  readonly ready: Promise<void>;

  #options: Required<Pick<PeerOptions, 'iceCandidateDebounce' | 'connectionTimeout' | 'namespaceHashing' | 'signalingCompression' | 'signalingEncryption' | 'heartbeatInterval' | 'heartbeatTimeout' | 'maxPendingConnections' | 'secretIterations'>> &
    Pick<PeerOptions, 'verify' | 'iceServers' | 'iceTransportPolicy' | 'secret'>;
  #limits: RemoteLimits;
  /** Replay memory of this identity, kept across joins. */
  #replay = new ReplayCache();
  #admission: Admission;
  /** Each remote's session, and the setup slot it holds until it connects. */
  #sessions = new Sessions<RemotePeer>();
  #slotOf = new WeakMap<RemotePeer, SetupSlot>();
  /** Remotes whose metadata has not yet passed `verify` (we offered; their answer brings it), and verdicts in progress. */
  #unverified = new WeakSet<RemotePeer>();
  #verdicts = new WeakMap<RemotePeer, Promise<boolean>>();

  #identity: Identity | null = null;
  #state: PeerState = 'idle';
  #room = '';
  #metadata: Metadata = {};
  #signaler: Signaler | null = null;
  #channelOptions = new Map<string, OpenOptions>();
  #shares = new Map<string, ShareEntry>();
  #addons = new Set<Addon>();
  #refused = new Set<string>();
  #verifying = new Set<string>();
  #rebuilds = new Map<string, number[]>();
  #announcedAt = 0;
  /** Announces whose offer we hold back (see GLARE_HOLD_MS). */
  #holding = new Set<string>();
  #driverListeners: { active: Listener<DriverEvents['active'] & { type: 'active' }>; error: Listener<DriverEvents['error'] & { type: 'error' }> };
  #host: RemoteHost;
  /** Resolved at construction when `rtc` is given, else from the global scope at `join`. */
  #rtc: Rtc | null = null;

  constructor(options: PeerOptions = {}) {
    super();
    if (options.driver !== undefined && !(options.driver instanceof Driver)) {
      throw new PeerixError('ERR_INVALID_ARGUMENT', 'options.driver must be a Driver instance');
    }
    this.driver = options.driver ?? new MemoryDriver();
    if (options.rtc !== undefined) this.#rtc = resolveRtc(options.rtc);
    this.#options = {
      iceServers: options.iceServers,
      iceTransportPolicy: options.iceTransportPolicy,
      secret: options.secret,
      verify: options.verify,
      iceCandidateDebounce: options.iceCandidateDebounce ?? 50,
      connectionTimeout: options.connectionTimeout ?? 0,
      namespaceHashing: options.namespaceHashing ?? true,
      signalingCompression: options.signalingCompression ?? true,
      signalingEncryption: options.signalingEncryption ?? true,
      heartbeatInterval: options.heartbeatInterval ?? 1000,
      heartbeatTimeout: options.heartbeatTimeout ?? 4000,
      maxPendingConnections: options.maxPendingConnections ?? 32,
      secretIterations: options.secretIterations ?? 0,
    };
    try {
      this.#limits = resolveLimits(options);
    } catch (error) {
      throw new PeerixError('ERR_INVALID_ARGUMENT', (error as Error).message);
    }
    this.#admission = new Admission({
      max: this.#options.maxPendingConnections,
      minAgeMs: SETUP_MIN_AGE_MS,
      answerTimeoutMs: ANSWER_TIMEOUT_MS,
      waitMs: SETUP_WAIT_MS,
      perSender: SETUPS_PER_SENDER,
      perSenderWindowMs: SETUPS_PER_SENDER_WINDOW_MS,
    });
    this.ready = createIdentity().then((identity) => {
      this.#identity = identity;
    });
    this.ready.catch(() => {}); // join() reports it
    this.#driverListeners = {
      active: ({ active }) => {
        // After a reconnect, say hello again: peers that joined meanwhile learn of us.
        if (active && this.#state === 'joined') void this.#announce();
      },
      error: ({ error }) => this.#error(error),
    };
    this.#host = this.#makeHost();
  }

  /** This peer's id (the text form of its public key); empty until `ready`. */
  get id(): string {
    return this.#identity?.id ?? '';
  }

  /** The metadata given to `join`. */
  get metadata(): Metadata {
    return this.#metadata;
  }

  /** `idle`, `joining`, `joined` or `leaving`. */
  get state(): PeerState {
    return this.#state;
  }

  /** The room joined, or an empty string. */
  get room(): string {
    return this.#room;
  }

  /** Joins a room: announces this peer and connects to everyone there. */
  async join({ room, metadata = {} }: JoinOptions): Promise<void> {
    if (typeof room !== 'string' || !room) throw new PeerixError('ERR_INVALID_ARGUMENT', 'join() needs a non-empty room name');
    if (this.#state !== 'idle') throw new PeerixError('ERR_INVALID_STATE', `join() while ${this.#state}: leave() first`);
    this.#rtc ??= resolveRtc();
    const json = JSON.stringify(metadata ?? {});
    if (new TextEncoder().encode(json).length > MAX_METADATA_BYTES) {
      throw new PeerixError('ERR_INVALID_ARGUMENT', `metadata is larger than ${MAX_METADATA_BYTES} bytes as JSON`);
    }
    this.#state = 'joining';
    this.#room = room;
    this.#metadata = metadata ?? {};
    try {
      await this.ready;
      const signaler = new Signaler({
        driver: this.driver,
        identity: this.#identity!,
        room,
        secret: this.#options.secret ?? '',
        secretIterations: this.#options.secretIterations,
        hashing: this.#options.namespaceHashing,
        encryption: this.#options.signalingEncryption,
        compression: this.#options.signalingCompression,
        replay: this.#replay,
        onMessage: (opened) => this.#onSignal(opened),
        onError: (error) => this.#error(error),
      });
      this.#signaler = signaler;
      this.driver.on('active', this.#driverListeners.active);
      this.driver.on('error', this.#driverListeners.error);
      await signaler.start();
    } catch (error) {
      this.#teardownSignaling();
      this.#state = 'idle';
      this.#room = '';
      throw toPeerixError(error, 'ERR_DRIVER', 'join failed');
    }
    this.#state = 'joined';
    debug('joined', room, 'as', this.id.slice(0, 8));
    if (this.driver.active) await this.#announce();
  }

  /** Leaves the room: says goodbye to every peer and closes every connection. */
  async leave(): Promise<void> {
    if (this.#state !== 'joined' && this.#state !== 'joining') return;
    this.#state = 'leaving';
    const byes: Promise<void>[] = [];
    const signaler = this.#signaler;
    for (const remote of [...this.connections.values()]) {
      // Goodbye in-band when connected, else addressed through the broker: either way
      // authenticated, so nobody else can say it for us.
      const session = this.#sessions.of(remote);
      if (remote.state === 'connected') remote.sayGoodbye();
      else if (signaler && session && this.driver.active) byes.push(signaler.sendTo(remote.id, session, { kind: 'Bye' }));
      remote.dispose('leaving');
    }
    await Promise.all(byes);
    this.#teardownSignaling();
    if (signaler) await signaler.stop();
    this.#admission.clear();
    this.#verifying.clear();
    this.#holding.clear();
    this.#rebuilds.clear();
    this.#state = 'idle';
    this.#room = '';
  }

  /** Opens a data channel with every peer, now and later (before or after `join`). */
  open(options: OpenOptions): void {
    if (!options || typeof options.label !== 'string' || !options.label) {
      throw new PeerixError('ERR_INVALID_ARGUMENT', 'open() needs { label }');
    }
    this.#channelOptions.set(options.label, { ...options });
    for (const remote of this.connections.values()) if (remote.state !== 'closed') remote.open(options);
  }

  /** Closes the channel `label` with every peer, and stops opening it with new ones. */
  close({ label }: { label: string }): void {
    this.#channelOptions.delete(label);
    for (const remote of this.connections.values()) remote.close({ label });
  }

  /**
   * Sends on channel `label` (or every open channel) to every connected peer.
   * Resolves when every copy is handed over (chunked messages: acknowledged).
   */
  send(data: SendData, options: SendOptions = {}): Promise<void> {
    const sends: Promise<void>[] = [];
    for (const remote of this.connections.values()) {
      if (remote.state === 'closed') continue;
      if (options.label !== undefined && !remote.channels.has(options.label) && !this.#channelOptions.has(options.label)) continue;
      sends.push(remote.send(data, options));
    }
    const all = Promise.all(sends).then(() => undefined);
    all.catch(() => {});
    return all;
  }

  /** Shares a stream with every peer, now and later. Same label again replaces it. */
  share(options: MediaStream | ShareOptions): void {
    const entry = toShareEntry(options);
    const previous = this.#shares.get(entry.label);
    this.#shares.set(entry.label, entry);
    for (const remote of this.connections.values()) if (remote.state !== 'closed') remote.share(entry);
    if (previous?.managed && previous.stream !== entry.stream) stopTracks(previous.stream, entry.stream);
  }

  /** Stops sharing a stream (by the stream, its label, or `{ label }`). Managed streams are stopped. */
  unshare(target: ShareTarget): void {
    const entry = findShare(this.#shares, target, (e) => e);
    if (!entry) return;
    this.#shares.delete(entry.label);
    for (const remote of this.connections.values()) remote.unshare(entry.label);
    if (entry.managed) stopTracks(entry.stream);
  }

  /** Attaches an add-on: it sees the same events as the app. */
  attach(addon: Addon): void {
    if (this.#addons.has(addon)) return;
    this.#addons.add(addon);
    addon.attach(this);
  }

  detach(addon: Addon): void {
    if (!this.#addons.delete(addon)) return;
    addon.detach(this);
  }

  // ───────────────────────── signaling ─────────────────────────

  async #announce(): Promise<void> {
    this.#announcedAt = Date.now();
    await this.#signaler?.broadcast({ kind: 'Announce' });
  }

  #onSignal({ sender, session, timestamp, message, addressed }: OpenedEnvelope): void {
    if (this.#state !== 'joined' || sender === this.id) return;
    if ((message.kind === 'Announce') === addressed) {
      this.#error(new PeerixError('ERR_UNEXPECTED', `${message.kind} arrived on the ${addressed ? 'peer' : 'room'} namespace`, { peerId: sender }));
      return;
    }
    const info = { session, since: timestamp };
    if (message.kind === 'Announce') return void this.#onAnnounce(sender, info);
    if (message.kind === 'Offer') return this.#onOffer(sender, info, message.description, message.metadata);
    // Answer, Candidates and Bye belong to the setup of the session they were sealed for.
    const remote = this.connections.get(sender);
    if (!remote || this.#sessions.of(remote) !== session) {
      this.#error(new PeerixError(remote ? 'ERR_REPLAY' : 'ERR_UNEXPECTED', `${message.kind} from ${sender} outside a setup with its session`, { peerId: sender }));
      return;
    }
    switch (message.kind) {
      case 'Answer':
        this.#slotOf.get(remote)?.answered();
        this.#fresher(sender, info, true);
        return void this.#whenVerified(remote, message.metadata, () => remote.receiveBrokerDescription(message.description));
      case 'Candidates':
        return remote.receiveBrokerCandidates(message);
      case 'Bye':
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
    if (!this.#fresher(sender, info, false)) return;
    const existing = this.connections.get(sender);
    if (existing) {
      const sameSession = this.#sessions.of(existing) === info.session;
      // An announce is not authenticated to its sender (any member can seal one), so it never
      // displaces a working call; it replaces only a setup still waiting for its first answer.
      const unanswered = this.#unverified.has(existing) && existing.state !== 'connected';
      if (existing.healthy || ((existing.state === 'new' || existing.state === 'connecting') && (sameSession || !unanswered))) return;
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
    if (this.id > sender && Date.now() - this.#announcedAt < RECENT_ANNOUNCE_MS) {
      this.#holding.add(sender);
      await new Promise((resolve) => setTimeout(resolve, GLARE_HOLD_MS));
      // A connection made meanwhile (from the other side's offer) settles it, even if it is gone again.
      if (!this.#holding.delete(sender)) return slot.release();
    }
    if (evicted) return;
    if (this.connections.has(sender) || this.#state !== 'joined') return slot.release();
    // Verified when its answer brings its (pair-authenticated) metadata.
    this.#createRemote(sender, info, slot, null);
  }

  #onOffer(sender: string, info: SessionInfo, description: CompactDescription, metadataJson: string | undefined): void {
    if (!this.#fresher(sender, info, true)) return;
    const remote = this.connections.get(sender);
    if (remote) {
      if (this.#sessions.of(remote) === info.session) {
        // Glare, or an ICE restart: same setup. Their offer is as good as an answer.
        this.#slotOf.get(remote)?.answered();
        return void this.#whenVerified(remote, metadataJson, () => remote.receiveBrokerDescription(description));
      }
      remote.dispose('replaced'); // the peer rejoined: its new session wins
    }
    void this.#onFirstOffer(sender, info, description, metadataJson);
  }

  async #onFirstOffer(sender: string, info: SessionInfo, description: CompactDescription, metadataJson: string | undefined): Promise<void> {
    const metadata = this.#parseMetadata(sender, metadataJson);
    if (!metadata) return;
    const slot = await this.#setup(sender);
    if (!slot) return;
    let evicted = false;
    slot.onEvict(() => (evicted = true));
    if (!(await this.#verified(sender, metadata)) || evicted || this.#state !== 'joined') return slot.release();
    const current = this.connections.get(sender);
    if (current && this.#sessions.of(current) === info.session) {
      slot.release();
      return current.receiveBrokerDescription(description);
    }
    current?.dispose('replaced');
    this.#createRemote(sender, info, slot, metadata).receiveBrokerDescription(description);
  }

  /** Runs `then` once `remote` passed `verify` with the metadata it sent (now, if it already did). */
  async #whenVerified(remote: RemotePeer, metadataJson: string | undefined, then: () => void): Promise<void> {
    let verdict = this.#verdicts.get(remote);
    if (!verdict && !this.#unverified.has(remote)) return then();
    if (!verdict) {
      // The first pair-sealed message with metadata decides; later ones wait for that verdict.
      this.#unverified.delete(remote);
      const metadata = this.#parseMetadata(remote.id, metadataJson);
      verdict = metadata ? this.#verified(remote.id, metadata).then((ok) => ok && ((remote.metadata = metadata), true)) : Promise.resolve(false);
      this.#verdicts.set(remote, verdict);
    }
    if (!(await verdict)) return remote.dispose('refused');
    if (remote.state !== 'closed') then();
  }

  #parseMetadata(sender: string, json: string | undefined): Metadata | null {
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

  /** A setup slot for `sender`, within its rate and the pending bound; null (after ERR_LIMIT) otherwise. */
  async #setup(sender: string): Promise<SetupSlot | null> {
    if (this.#refused.has(sender)) return null;
    if (!this.#admission.allowSender(sender)) {
      this.#error(new PeerixError('ERR_LIMIT', `${sender} starts setups too often: ignored`, { peerId: sender }));
      return null;
    }
    const slot = await this.#admission.acquire(sender);
    if (!slot && this.#state === 'joined') {
      this.#error(new PeerixError('ERR_LIMIT', `more than ${this.#options.maxPendingConnections} connections in setup: ignored ${sender}`, { peerId: sender }));
    }
    return this.#state === 'joined' ? slot : (slot?.release(), null);
  }

  /** `verify`, once per id at a time; a refusal is remembered. */
  async #verified(sender: string, metadata: Metadata): Promise<boolean> {
    if (this.#refused.has(sender) || this.#verifying.has(sender)) return false;
    const verify = this.#options.verify;
    if (!verify) return true;
    this.#verifying.add(sender);
    try {
      if (await verify({ id: sender, metadata })) return true;
      this.#refuse(sender, new PeerixError('ERR_VERIFY', `peer ${sender} was refused by verify()`, { peerId: sender }));
    } catch (error) {
      this.#refuse(sender, toPeerixError(error, 'ERR_VERIFY', 'verify() threw', sender));
    } finally {
      this.#verifying.delete(sender);
    }
    return false;
  }

  #refuse(sender: string, error: PeerixError): void {
    if (this.#refused.size >= MAX_REFUSED) this.#refused.delete(this.#refused.values().next().value!);
    this.#refused.add(sender);
    this.#error(error);
  }

  /** A connection to `id` in `session`; `metadata` null: we offer, and verify on its answer. */
  #createRemote(id: string, session: SessionInfo, slot: SetupSlot, metadata: Metadata | null): RemotePeer {
    this.#holding.delete(id);
    const offerer = metadata === null;
    const remote = new RemotePeer(this.#host, id, metadata ?? {}, offerer);
    this.connections.set(id, remote);
    this.#sessions.bind(remote, session);
    this.#slotOf.set(remote, slot);
    if (offerer) {
      this.#unverified.add(remote);
      slot.awaitAnswer();
    }
    slot.onEvict((reason) => {
      const noAnswer = reason === 'no-answer';
      this.#error(new PeerixError(noAnswer ? 'ERR_TIMEOUT' : 'ERR_LIMIT', noAnswer ? `no answer from ${id}: setup dropped` : `setups crowded: dropped the oldest, to ${id}`, { peerId: id }));
      remote.dispose('refused');
    });
    for (const options of this.#channelOptions.values()) remote.open(options);
    return remote;
  }

  #makeHost(): RemoteHost {
    const peer = this;
    const options = this.#options;
    return {
      get localId() {
        return peer.id;
      },
      get localMetadata() {
        return peer.#metadata;
      },
      get rtcConfiguration(): RTCConfiguration {
        const config: RTCConfiguration = { iceServers: options.iceServers ?? [] };
        if (options.iceTransportPolicy) config.iceTransportPolicy = options.iceTransportPolicy;
        return config;
      },
      get rtc(): Rtc {
        return (peer.#rtc ??= resolveRtc());
      },
      iceCandidateDebounce: options.iceCandidateDebounce,
      connectionTimeout: options.connectionTimeout,
      heartbeatInterval: options.heartbeatInterval,
      heartbeatTimeout: options.heartbeatTimeout,
      limits: this.#limits,
      sendBroker: async (remote, message) => {
        const session = peer.#sessions.of(remote);
        if (session) await peer.#signaler?.sendTo(remote.id, session, message);
      },
      forward: (type, payload) => {
        // A connected setup gives its slot back.
        if (type === 'connection:connected') peer.#slotOf.get((payload as PeerEvents['connection:connected']).remote)?.connected();
        peer.emit(type, payload);
      },
      channelOptions: () => peer.#channelOptions.values(),
      shares: () => peer.#liveShares(),
      onDisposed: (remote, reason) => peer.#onDisposed(remote, reason),
    };
  }

  *#liveShares(): Iterable<ShareEntry> {
    for (const entry of this.#shares.values()) {
      if (liveTracks(entry.stream).length) yield entry;
    }
  }

  #onDisposed(remote: RemotePeer, reason: DisposeReason): void {
    this.#slotOf.get(remote)?.release();
    if (this.connections.get(remote.id) === remote) this.connections.delete(remote.id);
    if (this.#state !== 'joined' || (reason !== 'failed' && reason !== 'vanished')) return;
    // The path may have broken while the peer lives: offer a rebuild through the broker, a few times at most.
    const now = Date.now();
    const recent = (this.#rebuilds.get(remote.id) ?? []).filter((t) => now - t < REBUILD_WINDOW_MS);
    if (recent.length >= MAX_REBUILDS) return;
    recent.push(now);
    this.#rebuilds.set(remote.id, recent);
    if (this.#rebuilds.size > 1024) this.#rebuilds.delete(this.#rebuilds.keys().next().value!);
    debug('rebuild through the broker for', remote.id.slice(0, 8));
    void this.#announce();
  }

  #teardownSignaling(): void {
    this.driver.off('active', this.#driverListeners.active);
    this.driver.off('error', this.#driverListeners.error);
    this.#signaler = null;
  }

  #error(error: PeerixError): void {
    debug('error', error.code, error.message);
    const remote = error.peerId ? this.connections.get(error.peerId) : undefined;
    this.emit('error', { error, ...(remote ? { remote } : {}), ...(error.peerId ? { peerId: error.peerId } : {}) });
  }
}

function stopTracks(stream: MediaStream, keep?: MediaStream): void {
  const kept = new Set(keep?.getTracks() ?? []);
  for (const track of stream.getTracks()) if (!kept.has(track)) track.stop();
}
