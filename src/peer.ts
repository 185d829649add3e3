import type { AddonLike as Addon } from './addons/addon.js';
import { createDebug } from './debug.js';
import { Driver, type DriverEvents } from './drivers/driver.js';
import { MemoryDriver } from './drivers/memory.js';
import { Emitter, type Listener } from './emitter.js';
import { PeerixError, toPeerixError } from './errors.js';
import { resolveRtc, type Rtc } from './rtc.js';
import { OwnAnnounce } from './glare.js';
import { Membership } from './membership.js';
import type { PeerEvents, RemoteHost, RemotePeer } from './remote-peer.js';
import { findShare, liveTracks, toShareEntry, type ShareEntry, type ShareTarget } from './shares.js';
import { resolveLimits, type RemoteLimits } from './limits.js';
import { createIdentity, type Identity } from './signaling/crypto.js';
import { ReplayCache } from './signaling/replay.js';
import { Signaler } from './signaling/signaler.js';
import { Uplink } from './uplink.js';
import { DEFAULT_UPLINK_BUDGET, checkUplinkBudget } from './uplink-budget.js';
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
  #membership: Membership;
  #uplink: Uplink;

  #identity: Identity | null = null;
  #state: PeerState = 'idle';
  #room = '';
  #metadata: Metadata = {};
  #signaler: Signaler | null = null;
  #channelOptions = new Map<string, OpenOptions>();
  #shares = new Map<string, ShareEntry>();
  #addons = new Set<Addon>();
  #ownAnnounce = new OwnAnnounce();
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
    this.#uplink = new Uplink(checkUplinkBudget(options.uplinkBudget ?? DEFAULT_UPLINK_BUDGET));
    this.#host = this.#makeHost();
    this.#membership = new Membership(
      {
        connections: this.connections,
        host: this.#host,
        localId: () => this.id,
        joined: () => this.#state === 'joined',
        ownAnnounce: this.#ownAnnounce,
        announce: () => this.#announce(),
        warmKey: (id, session) => this.#signaler?.warmKey(id, session),
        channelOptions: () => this.#channelOptions.values(),
        error: (error) => this.#error(error),
      },
      { maxPendingConnections: this.#options.maxPendingConnections, verify: this.#options.verify },
    );
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

  /** Bits per second for all video sent, all connections together (0 = no limit); settable at any time. */
  get uplinkBudget(): number {
    return this.#uplink.budget;
  }

  set uplinkBudget(value: number) {
    this.#uplink.budget = checkUplinkBudget(value);
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
        onMessage: (opened) => this.#membership.receive(opened),
        onEcho: () => this.#ownAnnounce.echoed(),
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
      const session = this.#membership.sessionOf(remote);
      if (remote.state === 'connected') remote.sayGoodbye();
      else if (signaler && session && this.driver.active) byes.push(signaler.sendTo(remote.id, session, { kind: 'BrokerLeave' }));
      remote.dispose('leaving');
    }
    await Promise.all(byes);
    this.#teardownSignaling();
    if (signaler) await signaler.stop();
    this.#membership.clear();
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
    this.#ownAnnounce.sent(this.driver.echoesInOrder);
    await this.#signaler?.broadcast({ kind: 'Announce' });
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
        // max-bundle: in-band media rides channel 0's transport (Firefox made one per m-line).
        const config: RTCConfiguration = { iceServers: options.iceServers ?? [], bundlePolicy: 'max-bundle' };
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
      sendBroker: (remote, message) => peer.#membership.sendTo(remote, message, async (id, session, m) => peer.#signaler?.sendTo(id, session, m)),
      forward: (type, payload) => {
        if (type === 'connection:connected') peer.#membership.connected((payload as PeerEvents['connection:connected']).remote);
        peer.emit(type, payload);
      },
      channelOptions: () => peer.#channelOptions.values(),
      shares: () => peer.#liveShares(),
      onDisposed: (remote, reason) => peer.#membership.disposed(remote, reason),
      videoChanged: (target) => peer.#uplink.changed(target),
    };
  }

  *#liveShares(): Iterable<ShareEntry> {
    for (const entry of this.#shares.values()) {
      if (liveTracks(entry.stream).length) yield entry;
    }
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
