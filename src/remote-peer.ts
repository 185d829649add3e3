import { Channel, type ChannelHost } from './channel.js';
import { createDebug } from './debug.js';
import { Emitter } from './emitter.js';
import { PeerixError, toPeerixError } from './errors.js';
import type { RemoteLimits } from './limits.js';
import { IncomingBudget } from './reassembly.js';
import { decodeFrame, encodeFrame } from './signaling/codec.js';
import type { CompactCandidate, CompactDescription, IceCandidateInit, SignalMessage, StreamInfo } from './signaling/messages.js';
import { compactDescription, expandDescription, formatCandidate, parseCandidate } from './signaling/sdp.js';
import { isMediaStream, toArrayBuffer, type Rtc } from './rtc.js';
import type {
  ConnectionState,
  Metadata,
  OpenOptions,
  PeerEvents,
  SendData,
  SendOptions,
  SenderParameters,
  ShareOptions,
} from './types.js';

const debug = createDebug('peerix:remote');

/** The in-band signaling channel: pre-negotiated, so it needs no signaling of its own. */
const SIGNAL_CHANNEL: RTCDataChannelInit = { negotiated: true, id: 0, ordered: true };
const SIGNAL_LABEL = 'peerix';
/** Remote candidates kept while no remote description is set. */
const MAX_PENDING_CANDIDATES = 64;
/** Longest wait for candidates before a description goes to the broker without them. */
const GATHER_CAP_MS = 1500;
/**
 * Quiet time after the last candidate before a broker description leaves.
 * Host candidates come within a few milliseconds of each other; waiting the
 * whole candidate debounce here only delays every connection.
 */
const GATHER_QUIET_MS = 15;
/** Grace before an ICE restart once the connection reports `disconnected`. */
const RESTART_DELAY_MS = 1000;
/** A setup not connected by then is rebuilt (when no `connectionTimeout` is set). */
const SETUP_WATCHDOG_MS = 15_000;

/** A share as the `Peer` keeps it, applied to every remote. */
export interface ShareEntry extends Required<Pick<ShareOptions, 'stream' | 'label'>> {
  managed: boolean;
  audioParameters?: SenderParameters;
  videoParameters?: SenderParameters;
}

/** What a `RemotePeer` needs from its `Peer`. */
export interface RemoteHost {
  readonly localId: string;
  readonly localMetadata: Metadata;
  readonly rtcConfiguration: RTCConfiguration;
  /** The WebRTC classes to use (the browser's, or a Node implementation's). */
  readonly rtc: Rtc;
  readonly iceCandidateDebounce: number;
  readonly connectionTimeout: number;
  readonly heartbeatInterval: number;
  readonly heartbeatTimeout: number;
  /** What this remote may make us allocate. */
  readonly limits: RemoteLimits;
  /** Publishes a message to this remote through the broker (sealed for its session). */
  sendBroker(remote: RemotePeer, message: SignalMessage): Promise<void>;
  /** Re-emits an event of this remote on the `Peer`. */
  forward<K extends keyof PeerEvents & string>(type: K, payload: PeerEvents[K]): void;
  /** Data channels and shares opened at the `Peer` level, for a new connection. */
  channelOptions(): Iterable<OpenOptions>;
  shares(): Iterable<ShareEntry>;
  /** The connection ended; `reason` tells whether a rebuild through the broker makes sense. */
  onDisposed(remote: RemotePeer, reason: DisposeReason): void;
}

export type DisposeReason = 'left' | 'leaving' | 'vanished' | 'failed' | 'timeout' | 'replaced' | 'refused';

interface LocalShare {
  entry: ShareEntry;
  senders: RTCRtpSender[];
}

interface RemoteTrack {
  track: MediaStreamTrack;
  stream: MediaStream;
  transceiver: RTCRtpTransceiver;
}

/**
 * One remote peer and the single `RTCPeerConnection` to it. Negotiation is
 * "perfect negotiation": the peer with the greater id is polite. The first
 * offer/answer goes through the broker; once the pre-negotiated signaling
 * channel is open, everything else goes in-band.
 */
export class RemotePeer extends Emitter<PeerEvents> {
  readonly id: string;
  /** The metadata the remote joined with. */
  metadata: Metadata;
  /** The underlying `RTCPeerConnection`. */
  readonly connection: RTCPeerConnection;

  #host: RemoteHost;
  #polite: boolean;
  #state: ConnectionState = 'new';
  #signal: RTCDataChannel | null = null;
  #inbandOpen = false;
  #mayOfferViaBroker: boolean;
  #makingOffer = false;
  #ignoreOffer = false;
  #settingRemoteAnswer = false;
  #work: Promise<void> = Promise.resolve();
  #pendingRemoteCandidates: RTCIceCandidateInit[] = [];
  #outgoingCandidates: RTCIceCandidate[] = [];
  #candidateTimer: ReturnType<typeof setTimeout> | undefined;
  #candidatesInDescription = new Set<string>();
  #descriptionSent = false;
  #gatherWaiters = new Set<() => void>();
  #channels = new Map<string, Channel>();
  #pendingOpens = new Map<string, OpenOptions>();
  #localShares = new Map<string, LocalShare>();
  #streamLabels = new Map<string, string>();
  #remoteStreams = new Map<string, { stream: MediaStream; label: string }>();
  #remoteTracks = new Map<MediaStreamTrack, RemoteTrack>();
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #restartTimer: ReturnType<typeof setTimeout> | undefined;
  #timeout: ReturnType<typeof setTimeout> | undefined;
  #lastSeen = 0;
  #lastPing = 0;
  #offerRequested = false;
  #disposed = false;
  #channelHost: ChannelHost;
  /** Bytes of partial incoming messages, all channels of this remote together. */
  #incoming: IncomingBudget;

  /** @internal Created by `Peer`; `offerer` starts the first negotiation. */
  constructor(host: RemoteHost, id: string, metadata: Metadata, offerer: boolean) {
    super();
    this.#host = host;
    this.id = id;
    this.metadata = metadata;
    this.#polite = host.localId > id;
    this.#mayOfferViaBroker = offerer;
    this.#incoming = new IncomingBudget(host.limits.maxIncomingBuffer);
    this.#channelHost = this.#makeChannelHost();
    const pc = new host.rtc.RTCPeerConnection(host.rtcConfiguration);
    this.connection = pc;
    pc.onnegotiationneeded = () => this.#enqueue(() => this.#negotiate());
    pc.onicecandidate = (event) => this.#onLocalCandidate(event.candidate);
    pc.onicegatheringstatechange = () => {
      if (pc.iceGatheringState === 'complete') this.#wakeGatherWaiters();
    };
    pc.onconnectionstatechange = () => this.#onConnectionState();
    pc.ondatachannel = (event) => this.#onRemoteChannel(event.channel);
    pc.ontrack = (event) => this.#onTrack(event);
    // The answerer adds channel 0 once the offer is applied, so it never fires a
    // negotiationneeded of its own that could later cross the offerer's renegotiation.
    if (offerer) this.#createSignalChannel();
    if (host.connectionTimeout > 0) {
      this.#timeout = setTimeout(() => {
        if (this.#state === 'connected' || this.#disposed) return;
        this.#error(new PeerixError('ERR_TIMEOUT', `no connection to ${id} within ${host.connectionTimeout} ms`, { peerId: id }));
        this.dispose('timeout');
      }, host.connectionTimeout);
    } else {
      // Without a user limit, a setup that hangs (for example started while the
      // network was down, so with no candidates) is dropped and rebuilt through the broker.
      this.#timeout = setTimeout(() => {
        if (this.#state === 'connected' || this.#disposed) return;
        debug('setup to', id.slice(0, 8), 'still not connected: rebuilding');
        this.dispose('failed');
      }, SETUP_WATCHDOG_MS);
    }
    queueMicrotask(() => this.#emit('connection:new', { remote: this, state: 'new' }));
  }

  #createSignalChannel(): void {
    const signal = this.connection.createDataChannel(SIGNAL_LABEL, SIGNAL_CHANNEL);
    signal.binaryType = 'arraybuffer';
    signal.onopen = () => this.#onSignalOpen();
    signal.onclose = () => this.dispose(this.#state === 'connected' ? 'vanished' : 'failed');
    signal.onmessage = (event) => this.#onSignalMessage(event.data);
    this.#signal = signal;
  }

  /** `new`, `connecting`, `connected`, `disconnected`, `failed` or `closed`. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** True when this side yields on offer collisions. */
  get polite(): boolean {
    return this.#polite;
  }

  /** Open data channels to this peer, by label. */
  get channels(): ReadonlyMap<string, Channel> {
    return this.#channels;
  }

  /** Streams this peer shares with us, by stream id. */
  get streams(): MediaStream[] {
    return [...this.#remoteStreams.values()].map((s) => s.stream);
  }

  /** The label the remote gave a stream it shares. */
  labelOf(stream: MediaStream): string | undefined {
    return this.#remoteStreams.get(stream.id)?.label;
  }

  /** Healthy: connected and heard from recently. */
  get healthy(): boolean {
    return this.#state === 'connected' && Date.now() - this.#lastSeen < this.#host.heartbeatTimeout;
  }

  // ───────────────────────── public operations ─────────────────────────

  /** Sends on one channel (`label`) or on every open channel to this peer. */
  send(data: SendData, options: SendOptions = {}): Promise<void> {
    if (options.label !== undefined) {
      // A disposed remote opens nothing: createDataChannel would throw on its closed connection.
      const channel = this.#channels.get(options.label) ?? (this.#disposed ? undefined : this.#openFromHost(options.label));
      if (!channel) {
        const why = this.#disposed ? 'the connection is closed' : 'open() it first';
        const error = new PeerixError('ERR_CHANNEL', `no channel "${options.label}" to ${this.id}: ${why}`, { peerId: this.id });
        const rejected = Promise.reject(error);
        rejected.catch(() => {});
        return rejected;
      }
      return channel.send(data, options);
    }
    return Promise.all([...this.#channels.values()].map((c) => c.send(data, options))).then(() => undefined);
  }

  /** Opens a data channel with this peer (before or after it connected). */
  open(options: OpenOptions): Channel {
    const { label, ...init } = options;
    if (!label || label === SIGNAL_LABEL) throw new PeerixError('ERR_INVALID_ARGUMENT', `invalid channel label "${label}"`);
    const existing = this.#channels.get(label);
    if (existing) return existing;
    const channel = new Channel(label, init, this.#channelHost);
    this.#channels.set(label, channel);
    if (this.#inbandOpen) this.#createOrRequest(label, init);
    else this.#pendingOpens.set(label, options);
    return channel;
  }

  /** Closes the channel `label` on both sides. */
  close({ label }: { label: string }): void {
    this.#pendingOpens.delete(label);
    this.#channels.get(label)?.close();
  }

  /** Shares a stream with this peer only. */
  share(options: MediaStream | ShareOptions): void {
    const entry = toShareEntry(options);
    if (this.#disposed) return;
    const current = this.#localShares.get(entry.label);
    if (current) return this.#replace(current, entry);
    const share: LocalShare = { entry, senders: [] };
    this.#localShares.set(entry.label, share);
    if (this.#inbandOpen) this.#addSenders(share);
  }

  /** Stops sharing a stream (by stream, label or `{ label }`) with this peer. */
  unshare(target: MediaStream | string | { label: string }): void {
    const share = this.#findShare(target);
    if (!share) return;
    this.#localShares.delete(share.entry.label);
    this.#removeSenders(share, share.senders);
  }

  // ───────────────────────── broker input (from Peer) ─────────────────────────

  /** @internal An offer or answer that came through the broker. */
  receiveBrokerDescription(description: CompactDescription): void {
    this.#enqueue(() => this.#onDescription(expandDescription(description)));
  }

  /** @internal Candidates that came through the broker. */
  receiveBrokerCandidates(candidates: SignalMessage & { kind: 'Candidates' }): void {
    this.#enqueue(async () => {
      for (const c of candidates.candidates) {
        await this.#addRemoteCandidate({ candidate: formatCandidate(c), sdpMid: '0', sdpMLineIndex: 0 });
      }
    });
  }

  /** @internal Restart ICE from this side (the broker carries the offer while the path is down). */
  restartIce(): void {
    if (this.#disposed) return;
    this.#mayOfferViaBroker = true;
    this.connection.restartIce();
  }

  /** @internal Says goodbye in-band (used by `Peer.leave`). */
  sayGoodbye(): void {
    this.#sendInband({ kind: 'Leave' });
  }

  /** @internal Ends the connection: closes channels, removes remote streams, emits `connection:closed`. */
  dispose(reason: DisposeReason): void {
    if (this.#disposed) return;
    this.#disposed = true;
    debug('dispose', this.id.slice(0, 8), reason);
    clearInterval(this.#heartbeat);
    clearTimeout(this.#restartTimer);
    clearTimeout(this.#timeout);
    clearTimeout(this.#candidateTimer);
    this.#wakeGatherWaiters();
    for (const channel of [...this.#channels.values()]) channel.close();
    for (const remote of [...this.#remoteTracks.keys()]) this.#removeRemoteTrack(remote);
    if (this.#signal) this.#signal.onopen = this.#signal.onclose = this.#signal.onmessage = null;
    const pc = this.connection;
    pc.onnegotiationneeded = pc.onicecandidate = pc.onicegatheringstatechange = null;
    pc.onconnectionstatechange = pc.ondatachannel = pc.ontrack = null;
    pc.close();
    this.#setState('closed');
    this.#host.onDisposed(this, reason);
  }

  // ───────────────────────── negotiation ─────────────────────────

  #enqueue(task: () => Promise<void>): void {
    this.#work = this.#work.then(task).catch((error: unknown) => {
      if (!this.#disposed) this.#error(toPeerixError(error, 'ERR_CONNECTION', 'negotiation failed', this.id));
    });
  }

  /**
   * Makes an offer. In-band only the impolite side offers: the polite side asks
   * it to (`Negotiate`, with the m-lines its new tracks need), so two offers
   * never cross. Crossing offers are where browsers differ most: Chromium
   * cannot apply a Firefox offer after rolling back its own ("RTP extension ID
   * reassignment not supported"). Through the broker (first connection, ICE
   * restart) either side may offer and perfect negotiation settles collisions.
   */
  async #negotiate(forced = false): Promise<void> {
    if (this.#disposed) return;
    const pc = this.connection;
    if (this.#inbandReady()) {
      if (this.#polite) {
        this.#sendInband({ kind: 'Negotiate', ...this.#unassociatedKinds() });
        return;
      }
    } else if (!this.#mayOfferViaBroker) {
      return;
    }
    if (pc.signalingState !== 'stable') {
      // negotiationneeded fires again after the round; a requested offer must be remembered.
      if (forced) this.#offerRequested = true;
      return;
    }
    try {
      this.#makingOffer = true;
      await pc.setLocalDescription();
      if (this.#state === 'new') this.#setState('connecting');
      await this.#sendDescription();
    } finally {
      this.#makingOffer = false;
    }
  }

  /** Local transceivers with a track but no m-line yet, by kind. */
  #unassociatedKinds(): { audio: number; video: number } {
    const counts = { audio: 0, video: 0 };
    for (const t of this.connection.getTransceivers()) {
      const kind = t.sender.track?.kind;
      if (t.mid === null && (kind === 'audio' || kind === 'video') && t.currentDirection !== 'stopped') counts[kind]++;
    }
    return counts;
  }

  /** Impolite side: the polite side needs an offer, with room for its new tracks. */
  #onNegotiateRequest(audio: number, video: number): void {
    if (this.#polite) {
      this.#error(new PeerixError('ERR_UNEXPECTED', 'a Negotiate request from the impolite side', { peerId: this.id }));
      return;
    }
    const max = this.#host.limits.maxTransceivers;
    if (this.connection.getTransceivers().length + audio + video > max) {
      this.#error(new PeerixError('ERR_LIMIT', `${this.id} asked for more than ${max} transceivers: refused`, { peerId: this.id }));
      return;
    }
    for (let i = 0; i < audio; i++) this.connection.addTransceiver('audio', { direction: 'recvonly' });
    for (let i = 0; i < video; i++) this.connection.addTransceiver('video', { direction: 'recvonly' });
    // New transceivers fire negotiationneeded by themselves; a direction change needs asking.
    if (audio + video === 0) this.#enqueue(() => this.#negotiate(true));
  }

  async #onDescription(description: RTCSessionDescriptionInit): Promise<void> {
    if (this.#disposed) return;
    const pc = this.connection;
    const isOffer = description.type === 'offer';
    // Every m-line of a remote offer becomes a transceiver here: the same cap as Negotiate (+1: data).
    const mLines = description.sdp?.match(/^m=/gm)?.length ?? 0;
    if (isOffer && mLines > this.#host.limits.maxTransceivers + 1) {
      this.#error(new PeerixError('ERR_LIMIT', `${this.id} offered ${mLines} m-lines, more than ${this.#host.limits.maxTransceivers} transceivers: refused`, { peerId: this.id }));
      return;
    }
    const readyForOffer = !this.#makingOffer && (pc.signalingState === 'stable' || this.#settingRemoteAnswer);
    const collision = isOffer && !readyForOffer;
    this.#ignoreOffer = !this.#polite && collision;
    if (this.#ignoreOffer) {
      debug('ignored colliding offer from', this.id.slice(0, 8));
      return;
    }
    if (description.type === 'answer' && pc.signalingState !== 'have-local-offer') {
      throw new PeerixError('ERR_UNEXPECTED', `answer from ${this.id} while ${pc.signalingState}`, { peerId: this.id });
    }
    this.#settingRemoteAnswer = description.type === 'answer';
    try {
      // Explicit rollback: clearer than the implicit one across browsers.
      if (collision && pc.signalingState === 'have-local-offer') await pc.setLocalDescription({ type: 'rollback' });
      await pc.setRemoteDescription(description);
      if (!this.#signal) this.#createSignalChannel();
    } finally {
      this.#settingRemoteAnswer = false;
    }
    if (this.#state === 'new') this.#setState('connecting');
    await this.#flushRemoteCandidates();
    // currentDirection is only settled once the round is complete (stable).
    if (!isOffer) {
      this.#reconcileRemoteTracks();
      if (this.#offerRequested) {
        this.#offerRequested = false;
        this.#enqueue(() => this.#negotiate(true));
      }
    }
    if (isOffer) {
      await pc.setLocalDescription();
      this.#reconcileRemoteTracks();
      await this.#sendDescription();
    }
  }

  /** Sends the current local description: in-band when possible, else through the broker with its candidates. */
  async #sendDescription(): Promise<void> {
    const pc = this.connection;
    const local = pc.localDescription;
    if (!local || this.#disposed) return;
    if (this.#inbandReady()) {
      debug('in-band', local.type, 'to', this.id.slice(0, 8));
      this.#sendInband({ kind: 'Description', type: local.type as 'offer' | 'answer', sdp: local.sdp });
      return;
    }
    await this.#gathered();
    const settled = pc.localDescription;
    // A collision may have rolled our offer back while we waited.
    if (this.#disposed || !settled || settled.type !== local.type || pc.signalingState === 'stable' && local.type === 'offer') return;
    const compact = compactDescription({ type: settled.type as 'offer' | 'answer', sdp: settled.sdp });
    for (const c of compact.candidates) this.#candidatesInDescription.add(formatCandidate(c));
    this.#descriptionSent = true;
    // Both carry the sender's metadata: pair-authenticated, so no other member can speak for it.
    const metadata = JSON.stringify(this.#host.localMetadata);
    const message: SignalMessage = { kind: compact.type === 'offer' ? 'Offer' : 'Answer', description: compact, metadata };
    await this.#host.sendBroker(this, message);
    this.#scheduleCandidateFlush();
  }

  /** Waits until gathering completes, or candidates stop coming for the debounce time. */
  #gathered(): Promise<void> {
    const pc = this.connection;
    if (pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise<void>((resolve) => {
      const cap = setTimeout(done, GATHER_CAP_MS);
      let quiet: ReturnType<typeof setTimeout> | undefined;
      const onCandidate = (): void => {
        clearTimeout(quiet);
        quiet = setTimeout(done, Math.min(GATHER_QUIET_MS, this.#host.iceCandidateDebounce));
      };
      const self = this;
      function done(): void {
        clearTimeout(cap);
        clearTimeout(quiet);
        pc.removeEventListener('icecandidate', onCandidate);
        self.#gatherWaiters.delete(done);
        resolve();
      }
      pc.addEventListener('icecandidate', onCandidate);
      this.#gatherWaiters.add(done);
      if (this.#outgoingCandidates.length) onCandidate();
    });
  }

  #wakeGatherWaiters(): void {
    for (const wake of [...this.#gatherWaiters]) wake();
  }

  #onLocalCandidate(candidate: RTCIceCandidate | null): void {
    if (!candidate || !candidate.candidate) return;
    this.#outgoingCandidates.push(candidate);
    if (this.#descriptionSent || this.#inbandOpen) this.#scheduleCandidateFlush();
  }

  #scheduleCandidateFlush(): void {
    if (this.#candidateTimer !== undefined) return;
    this.#candidateTimer = setTimeout(() => {
      this.#candidateTimer = undefined;
      this.#flushCandidates();
    }, this.#host.iceCandidateDebounce);
  }

  #flushCandidates(): void {
    const batch = this.#outgoingCandidates
      .splice(0)
      .filter((c) => !this.#candidatesInDescription.has(candidateKey(c.candidate)));
    if (!batch.length || this.#disposed) return;
    if (this.#inbandReady()) {
      const candidates: IceCandidateInit[] = batch.map((c) => ({
        candidate: c.candidate,
        ...(c.sdpMid != null ? { sdpMid: c.sdpMid } : {}),
        ...(c.sdpMLineIndex != null ? { sdpMLineIndex: c.sdpMLineIndex } : {}),
      }));
      this.#sendInband({ kind: 'Ice', candidates });
      return;
    }
    // An active TCP host candidate pairs only with a passive one, which browsers do not
    // gather: not worth a broker message of its own (it still rides in descriptions).
    const compact = batch
      .map((c) => parseCandidate(c.candidate))
      .filter((c): c is CompactCandidate => c !== null && !(c.protocol === 'tcp' && c.tcpType === 'active' && c.type === 'host'));
    if (compact.length) void this.#host.sendBroker(this, { kind: 'Candidates', candidates: compact });
  }

  async #addRemoteCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    const pc = this.connection;
    if (!pc.remoteDescription) {
      if (this.#pendingRemoteCandidates.length < MAX_PENDING_CANDIDATES) this.#pendingRemoteCandidates.push(candidate);
      return;
    }
    try {
      await pc.addIceCandidate(candidate);
    } catch (error) {
      if (!this.#ignoreOffer) this.#error(toPeerixError(error, 'ERR_CONNECTION', 'a remote ICE candidate was refused', this.id));
    }
  }

  async #flushRemoteCandidates(): Promise<void> {
    for (const candidate of this.#pendingRemoteCandidates.splice(0)) await this.#addRemoteCandidate(candidate);
  }

  // ───────────────────────── connection state ─────────────────────────

  #inbandReady(): boolean {
    const state = this.connection.connectionState;
    return this.#inbandOpen && this.#signal?.readyState === 'open' && state !== 'disconnected' && state !== 'failed';
  }

  #onConnectionState(): void {
    const state = this.connection.connectionState;
    debug('connection', this.id.slice(0, 8), state);
    clearTimeout(this.#restartTimer);
    if (state === 'connected') {
      if (this.#inbandOpen) this.#setState('connected');
    } else if (state === 'connecting') {
      if (this.#state === 'new') this.#setState('connecting');
    } else if (state === 'disconnected') {
      if (this.#state === 'connected') this.#setState('disconnected');
      // One side restarts, so the two restarts do not collide.
      this.#restartTimer = setTimeout(() => {
        if (this.connection.connectionState === 'disconnected' && !this.#polite) this.restartIce();
      }, RESTART_DELAY_MS);
    } else if (state === 'failed') {
      this.#setState('failed');
      this.#error(new PeerixError('ERR_CONNECTION', `the connection to ${this.id} failed`, { peerId: this.id }));
      this.dispose('failed');
    } else if (state === 'closed') {
      this.dispose('vanished');
    }
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state || (this.#state === 'closed')) return;
    this.#state = state;
    if (state === 'connected') clearTimeout(this.#timeout);
    this.#emit(`connection:${state}`, { remote: this, state });
  }

  #onSignalOpen(): void {
    if (this.#disposed) return;
    this.#inbandOpen = true;
    this.#lastSeen = Date.now();
    this.#mayOfferViaBroker = false;
    this.#setState('connected');
    this.#flushCandidates();
    // Checked twice per interval so a silent peer is noticed soon after the timeout.
    this.#heartbeat = setInterval(() => this.#tick(), Math.max(50, this.#host.heartbeatInterval / 2));
    for (const options of this.#host.channelOptions()) this.open(options);
    for (const [label, options] of this.#pendingOpens) {
      this.#pendingOpens.delete(label);
      const { label: _label, ...init } = options;
      this.#createOrRequest(label, init);
    }
    this.#startSharing();
  }

  /** Adds the tracks of shares made before the in-band channel opened. */
  #startSharing(): void {
    for (const entry of this.#host.shares()) if (!this.#localShares.has(entry.label)) this.share(entry);
    for (const share of this.#localShares.values()) if (!share.senders.length) this.#addSenders(share);
  }

  #tick(): void {
    if (Date.now() - this.#lastSeen > this.#host.heartbeatTimeout) {
      debug('heartbeat lost', this.id.slice(0, 8));
      this.dispose('vanished');
      return;
    }
    const now = Date.now();
    if (now - this.#lastPing >= this.#host.heartbeatInterval && this.#inbandReady()) {
      this.#lastPing = now;
      this.#sendInband({ kind: 'Ping', time: now });
    }
    this.#dropEndedTracks();
  }

  // ───────────────────────── in-band messages ─────────────────────────

  #sendInband(message: SignalMessage): void {
    if (this.#signal?.readyState !== 'open') return;
    try {
      this.#signal.send(encodeFrame(message) as Uint8Array<ArrayBuffer>);
    } catch (error) {
      this.#error(toPeerixError(error, 'ERR_CONNECTION', `in-band ${message.kind} could not be sent`, this.id));
    }
  }

  #onSignalMessage(data: unknown): void {
    this.#lastSeen = Date.now();
    let message: SignalMessage;
    try {
      const bytes = toArrayBuffer(data);
      if (!bytes) throw new PeerixError('ERR_DECODE', 'in-band signaling frame is not binary');
      message = decodeFrame(new Uint8Array(bytes));
    } catch (error) {
      this.#error(toPeerixError(error, 'ERR_DECODE', 'dropped an in-band signaling frame', this.id));
      return;
    }
    switch (message.kind) {
      case 'Description':
        debug('in-band', message.type, 'from', this.id.slice(0, 8));
        this.#enqueue(() => this.#onDescription({ type: message.type, sdp: message.sdp }));
        break;
      case 'Ice':
        this.#enqueue(async () => {
          for (const c of message.candidates) await this.#addRemoteCandidate(c);
        });
        break;
      case 'ChannelOpen':
        if (!this.#polite && !this.#channels.get(message.label)?.raw && this.#roomForChannel(message.label)) this.#openRequested(message.label, message.options ?? {});
        break;
      case 'ChannelClose':
        this.#channels.get(message.label)?.close();
        break;
      case 'Streams':
        for (const info of message.streams) {
          this.#streamLabels.delete(info.id);
          this.#streamLabels.set(info.id, info.label);
        }
        // Labels of streams long gone go first; past the cap, the remote is told off.
        if (this.#streamLabels.size > this.#host.limits.maxRemoteStreams) {
          this.#error(new PeerixError('ERR_LIMIT', `${this.id} announced more than ${this.#host.limits.maxRemoteStreams} streams`, { peerId: this.id }));
          for (const id of this.#streamLabels.keys()) {
            if (this.#streamLabels.size <= this.#host.limits.maxRemoteStreams) break;
            if (!this.#remoteStreams.has(id)) this.#streamLabels.delete(id);
          }
        }
        break;
      case 'Unshare':
        this.#onUnshare(message.streamId, message.tracks);
        break;
      case 'Ping':
        this.#sendInband({ kind: 'Pong', time: message.time });
        break;
      case 'Pong':
        break;
      case 'Leave':
        this.dispose('left');
        break;
      case 'Negotiate':
        this.#onNegotiateRequest(message.audio, message.video);
        break;
      default:
        this.#error(new PeerixError('ERR_UNEXPECTED', `${message.kind} is not an in-band message`, { peerId: this.id }));
    }
  }

  // ───────────────────────── data channels ─────────────────────────

  #openFromHost(label: string): Channel | undefined {
    for (const options of this.#host.channelOptions()) if (options.label === label) return this.open(options);
    return undefined;
  }

  /** The impolite side creates channels; the polite side asks it to. */
  #createOrRequest(label: string, init: RTCDataChannelInit): void {
    const channel = this.#channels.get(label);
    if (!channel || channel.raw) return;
    if (!this.#polite) {
      this.#attach(channel, this.connection.createDataChannel(label, init));
    } else {
      const options = pickChannelOptions(init);
      this.#sendInband({ kind: 'ChannelOpen', label, ...(options ? { options } : {}) });
    }
  }

  #openRequested(label: string, options: RTCDataChannelInit): void {
    const channel = this.#channels.get(label) ?? new Channel(label, options, this.#channelHost);
    this.#channels.set(label, channel);
    if (!channel.raw) this.#attach(channel, this.connection.createDataChannel(label, { ...channel.options, ...options }));
  }

  /** False (with ERR_LIMIT) when a new label from the remote would pass `maxRemoteChannels`. */
  #roomForChannel(label: string): boolean {
    if (this.#channels.has(label) || this.#channels.size < this.#host.limits.maxRemoteChannels) return true;
    this.#error(new PeerixError('ERR_LIMIT', `${this.id} opened more than ${this.#host.limits.maxRemoteChannels} channels: refused "${label.slice(0, 64)}"`, { peerId: this.id }));
    return false;
  }

  #onRemoteChannel(dc: RTCDataChannel): void {
    let channel = this.#channels.get(dc.label);
    if (!channel && !this.#roomForChannel(dc.label)) {
      dc.close();
      return;
    }
    if (!channel) {
      channel = new Channel(dc.label, { ordered: dc.ordered, protocol: dc.protocol }, this.#channelHost);
      this.#channels.set(dc.label, channel);
    }
    this.#pendingOpens.delete(dc.label);
    this.#attach(channel, dc);
  }

  #attach(channel: Channel, dc: RTCDataChannel): void {
    channel.attach(dc);
    if (channel.raw === dc) this.#emit('channel:new', { remote: this, label: channel.label, channel });
  }

  #makeChannelHost(): ChannelHost {
    return {
      maxMessageSize: () => this.connection.sctp?.maxMessageSize || 65536,
      limits: this.#host.limits,
      incoming: this.#incoming,
      onOpen: (channel) => this.#emit('channel:open', { remote: this, label: channel.label, channel }),
      onClose: (channel) => {
        if (this.#channels.get(channel.label) === channel) this.#channels.delete(channel.label);
        this.#emit('channel:close', { remote: this, label: channel.label, channel });
      },
      // Data arriving is a sign of life too: behind a long transfer a sender's
      // pings can queue for seconds (FIFO SCTP in @roamhq/wrtc, slow links).
      onMessage: (channel, data) => {
        this.#lastSeen = Date.now();
        this.#emit('channel:message', { remote: this, label: channel.label, channel, data });
      },
      onProgress: (channel, received, total) => {
        this.#lastSeen = Date.now();
        this.#emit('channel:progress', { remote: this, label: channel.label, channel, received, total });
      },
      onError: (channel, error) => {
        const withPeer = new PeerixError(error.code, error.message, { peerId: this.id, cause: error.cause });
        this.#emit('channel:error', { remote: this, label: channel.label, channel, error: withPeer });
        // Framing the remote got wrong on purpose or by bug is also a peer-level error.
        if (error.code === 'ERR_LIMIT' || error.code === 'ERR_DECODE') this.#error(withPeer);
      },
    };
  }

  // ───────────────────────── media ─────────────────────────

  #findShare(target: MediaStream | string | { label: string }): LocalShare | undefined {
    if (typeof target === 'string') return this.#localShares.get(target);
    if (isMediaStream(target)) {
      for (const share of this.#localShares.values()) if (share.entry.stream === target) return share;
      return undefined;
    }
    return this.#localShares.get((target as { label: string }).label);
  }

  #announceStreams(streams: StreamInfo[]): void {
    this.#sendInband({ kind: 'Streams', streams });
  }

  #addSenders(share: LocalShare): void {
    const { stream, label } = share.entry;
    const tracks = stream.getTracks().filter((t) => t.readyState === 'live');
    if (!tracks.length) return;
    this.#announceStreams([streamInfo(share.entry)]);
    for (const track of tracks) {
      try {
        const sender = this.connection.addTrack(track, stream);
        share.senders.push(sender);
        void this.#applyParameters(sender, share.entry);
      } catch (error) {
        this.#error(toPeerixError(error, 'ERR_MEDIA', `could not share ${track.kind} track "${label}"`, this.id));
      }
    }
  }

  /** Same label, new stream: swap tracks in place where kinds match (no renegotiation). */
  #replace(share: LocalShare, entry: ShareEntry): void {
    share.entry = entry;
    if (!this.#inbandOpen) return;
    const unused = [...share.senders];
    const added: MediaStreamTrack[] = [];
    const tracks = entry.stream.getTracks().filter((t) => t.readyState === 'live');
    this.#announceStreams([{ id: entry.stream.id, label: entry.label, tracks: tracks.map((t) => t.id) }]);
    for (const track of tracks) {
      const index = unused.findIndex((s) => this.#kindOf(s) === track.kind);
      if (index >= 0) {
        const [sender] = unused.splice(index, 1);
        sender!.replaceTrack(track).catch((error: unknown) => this.#error(toPeerixError(error, 'ERR_MEDIA', 'replaceTrack failed', this.id)));
        void this.#applyParameters(sender!, entry);
      } else {
        added.push(track);
      }
    }
    for (const track of added) {
      const sender = this.connection.addTrack(track, entry.stream);
      share.senders.push(sender);
      void this.#applyParameters(sender, entry);
    }
    if (unused.length) this.#removeSenders(share, unused);
  }

  /** A sender's kind, even while it has no track (its transceiver's receiver always has one). */
  #kindOf(sender: RTCRtpSender): string | undefined {
    return sender.track?.kind ?? this.connection.getTransceivers().find((t) => t.sender === sender)?.receiver.track.kind;
  }

  #removeSenders(share: LocalShare, senders: RTCRtpSender[]): void {
    const mids = senders
      .map((s) => this.connection.getTransceivers().find((t) => t.sender === s)?.mid)
      .filter((mid): mid is string => typeof mid === 'string');
    this.#sendInband({ kind: 'Unshare', streamId: share.entry.stream.id, tracks: mids });
    for (const sender of senders) {
      try {
        if (this.connection.signalingState !== 'closed') this.connection.removeTrack(sender);
      } catch (error) {
        this.#error(toPeerixError(error, 'ERR_MEDIA', 'could not stop sharing a track', this.id));
      }
    }
    share.senders = share.senders.filter((s) => !senders.includes(s));
  }

  async #applyParameters(sender: RTCRtpSender, entry: ShareEntry): Promise<void> {
    const wanted = sender.track?.kind === 'audio' ? entry.audioParameters : entry.videoParameters;
    if (!wanted) return;
    try {
      const parameters = sender.getParameters();
      if (!parameters.encodings?.length) parameters.encodings = [{}];
      for (const encoding of parameters.encodings) Object.assign(encoding, wanted);
      await sender.setParameters(parameters);
    } catch (error) {
      this.#error(toPeerixError(error, 'ERR_MEDIA', 'setParameters failed', this.id));
    }
  }

  /** A local track that ended (device gone, screen share stopped, `track.stop()`) stops being sent. */
  #dropEndedTracks(): void {
    for (const share of [...this.#localShares.values()]) {
      const ended = share.senders.filter((s) => s.track?.readyState === 'ended');
      if (ended.length) this.#removeSenders(share, ended);
      if (!share.senders.length && share.entry.stream.getTracks().every((t) => t.readyState === 'ended')) {
        this.#localShares.delete(share.entry.label);
      }
    }
  }

  #onTrack(event: RTCTrackEvent): void {
    const { track, transceiver } = event;
    const Stream = this.#host.rtc.MediaStream;
    const stream = event.streams[0] ?? (Stream ? new Stream([track]) : undefined);
    if (!stream) return this.#error(new PeerixError('ERR_MEDIA', 'a track arrived without a stream and the WebRTC implementation has no MediaStream', { peerId: this.id }));
    let known = this.#remoteStreams.get(stream.id);
    if (!known) {
      known = { stream, label: this.#streamLabels.get(stream.id) ?? stream.id };
      this.#remoteStreams.set(stream.id, known);
      if (!stream.getTracks().includes(track)) stream.addTrack(track);
      this.#emit('stream:add', { remote: this, stream, label: known.label });
    } else if (!stream.getTracks().includes(track)) {
      stream.addTrack(track);
    }
    if (this.#remoteTracks.has(track)) return;
    this.#remoteTracks.set(track, { track, stream, transceiver });
    this.#emit('track:add', { remote: this, stream, track, label: known.label });
  }

  #onUnshare(streamId: string, mids: string[]): void {
    for (const entry of [...this.#remoteTracks.values()]) {
      if (entry.stream.id !== streamId) continue;
      if (mids.length && !mids.includes(entry.transceiver.mid ?? '')) continue;
      this.#removeRemoteTrack(entry.track);
    }
  }

  /** After a remote description: tracks whose transceiver no longer receives are gone. */
  #reconcileRemoteTracks(): void {
    for (const entry of [...this.#remoteTracks.values()]) {
      const direction = entry.transceiver.currentDirection;
      if (direction === 'inactive' || direction === 'sendonly' || direction === 'stopped') this.#removeRemoteTrack(entry.track);
    }
  }

  #removeRemoteTrack(track: MediaStreamTrack): void {
    const entry = this.#remoteTracks.get(track);
    if (!entry) return;
    this.#remoteTracks.delete(track);
    const { stream } = entry;
    const known = this.#remoteStreams.get(stream.id);
    const label = known?.label ?? stream.id;
    if (stream.getTracks().includes(track)) stream.removeTrack(track);
    this.#emit('track:remove', { remote: this, stream, track, label });
    const stillUsed = [...this.#remoteTracks.values()].some((t) => t.stream === stream);
    if (!stillUsed && known) {
      this.#remoteStreams.delete(stream.id);
      this.#emit('stream:remove', { remote: this, stream, label });
    }
  }

  // ───────────────────────── events ─────────────────────────

  #emit<K extends keyof PeerEvents & string>(type: K, payload: PeerEvents[K]): void {
    this.emit(type, payload);
    this.#host.forward(type, payload);
  }

  #error(error: PeerixError): void {
    this.#emit('error', { error, remote: this, peerId: this.id });
  }
}

/**
 * Compares candidates by their compact fields: the browser's text carries
 * extras (generation, ufrag, network-id) that the compact form leaves out, so
 * a candidate already in the description is not sent again.
 */
function candidateKey(line: string): string {
  const compact = parseCandidate(line.replace(/^a=/, ''));
  return compact ? formatCandidate(compact) : line;
}

function streamInfo(entry: ShareEntry): StreamInfo {
  return { id: entry.stream.id, label: entry.label, tracks: entry.stream.getTracks().filter((t) => t.readyState === 'live').map((t) => t.id) };
}

function pickChannelOptions(init: RTCDataChannelInit): { ordered?: boolean; maxPacketLifeTime?: number; maxRetransmits?: number; protocol?: string } | undefined {
  const options: { ordered?: boolean; maxPacketLifeTime?: number; maxRetransmits?: number; protocol?: string } = {};
  if (init.ordered !== undefined) options.ordered = init.ordered;
  if (init.maxPacketLifeTime != null) options.maxPacketLifeTime = init.maxPacketLifeTime;
  if (init.maxRetransmits != null) options.maxRetransmits = init.maxRetransmits;
  if (init.protocol) options.protocol = init.protocol;
  return Object.keys(options).length ? options : undefined;
}

/** Normalises `share()`'s argument. */
export function toShareEntry(options: MediaStream | ShareOptions): ShareEntry {
  if (isMediaStream(options)) {
    return { stream: options, label: options.id, managed: false };
  }
  const o = options as ShareOptions;
  if (!o || !isMediaStream(o.stream)) {
    throw new PeerixError('ERR_INVALID_ARGUMENT', 'share() takes a MediaStream or { stream, label?, managed?, audioParameters?, videoParameters? }');
  }
  return {
    stream: o.stream,
    label: o.label ?? o.stream.id,
    managed: o.managed ?? false,
    ...(o.audioParameters ? { audioParameters: o.audioParameters } : {}),
    ...(o.videoParameters ? { videoParameters: o.videoParameters } : {}),
  };
}
