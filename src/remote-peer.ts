import { createDebug } from './debug.js';
import { Emitter } from './emitter.js';
import { PeerixError } from './errors.js';
import type { Channel } from './channel.js';
import type { RemoteEvents, PartEvent } from './events.js';
import type { CompactDescription, SignalMessage } from './signaling/messages.js';
import { expandDescription, formatCandidate } from './signaling/sdp.js';
import { toShareEntry, type ShareEntry, type ShareTarget } from './shares.js';
import type { ConnectionState, MediaWant, Metadata, OpenOptions, SendData, SendOptions, ShareOptions } from './types.js';
import type { Host } from './remote/host.js';
import { CandidateBatcher } from './remote/candidates.js';
import { Channels } from './remote/channels.js';
import { Liveness, type DisposeReason } from './remote/liveness.js';
import { LocalMedia } from './remote/local-media.js';
import { Negotiator } from './remote/negotiator.js';
import { RemoteMedia } from './remote/remote-media.js';
import { SignalPath } from './remote/signal-path.js';
import { HeldRequests, toMediaRequest, wantOf } from './remote/media-request.js';
import { StatsSampler, type RemoteStats } from './remote/stats.js';

export type { DisposeReason } from './remote/liveness.js';

const debug = createDebug('peerix:remote');

/** Every event a `Peer` (and, for its own connection, a `RemotePeer`) emits. */
export type PeerEvents = RemoteEvents<RemotePeer>;
export type PeerEventName = keyof PeerEvents;

/** What a `RemotePeer` needs from its `Peer` (src/remote/host.ts). */
export type RemoteHost = Host<RemotePeer>;

/**
 * One remote peer and the single `RTCPeerConnection` to it. This class is the
 * public face; the work is done by parts in `remote/` (see docs/ARCHITECTURE.md),
 * wired here through their hooks: the signal path (channel 0 or the broker),
 * the negotiator (perfect negotiation: the peer with the greater id is polite),
 * candidate batching, liveness, data channels, local and remote media.
 */
export class RemotePeer extends Emitter<PeerEvents> {
  readonly id: string;
  /** The metadata the remote joined with. */
  metadata: Metadata;
  /** The underlying `RTCPeerConnection`. */
  readonly connection: RTCPeerConnection;

  #host: RemoteHost;
  #polite: boolean;
  #disposed = false;
  #path: SignalPath;
  #negotiator: Negotiator;
  #candidates: CandidateBatcher;
  #liveness: Liveness;
  #channels: Channels;
  #heldRequests = new HeldRequests();
  #local: LocalMedia;
  #remote: RemoteMedia;
  #stats: StatsSampler;

  /** @internal Created by `Peer`; `offerer` starts the first negotiation. */
  constructor(host: RemoteHost, id: string, metadata: Metadata, offerer: boolean) {
    super();
    this.#host = host;
    this.id = id;
    this.metadata = metadata;
    const polite = (this.#polite = host.localId > id);
    const pc = (this.connection = new host.rtc.RTCPeerConnection(host.rtcConfiguration));
    const peerId = id;
    const error = (e: PeerixError): void => this.#error(e);
    const emit = <K extends keyof PeerEvents & string>(type: K, payload: PartEvent<K>): void =>
      this.#emit(type, { remote: this, ...payload } as unknown as PeerEvents[K]);

    const path = (this.#path = new SignalPath({
      connection: pc,
      peerId,
      opened: () => this.#onInbandOpen(),
      closed: () => this.dispose(this.state === 'connected' ? 'vanished' : 'failed'),
      heard: () => this.#liveness.heard(),
      message: (message) => this.#onInband(message),
      error,
      sendBroker: (message) => host.sendBroker(this, message),
      metadata: () => host.localMetadata,
      gathered: () => this.#candidates.gathered(),
      described: (lines) => this.#candidates.startFlowing(lines),
      afterDescription: () => this.#candidates.schedule(),
    }));
    const candidates = (this.#candidates = new CandidateBatcher({
      connection: pc,
      peerId,
      debounce: host.iceCandidateDebounce,
      send: (batch) => path.sendCandidates(batch),
      hasRemoteDescription: () => !!pc.remoteDescription,
      apply: (candidate) => pc.addIceCandidate(candidate),
      ignoringOffer: () => this.#negotiator.ignoringOffer,
      error,
    }));
    const liveness = (this.#liveness = new Liveness({
      peerId,
      polite,
      connectionTimeout: host.connectionTimeout,
      heartbeatInterval: host.heartbeatInterval,
      heartbeatTimeout: host.heartbeatTimeout,
      changed: (state) => this.#emit(`connection:${state}`, { remote: this, state }),
      inbandOpened: () => path.opened,
      inband: () => path.inband,
      transportState: () => pc.connectionState,
      trafficReceived: () => Liveness.trafficReceived(pc),
      ping: (time) => path.send({ kind: 'Ping', time }),
      restartIce: () => this.restartIce(),
      tick: () => this.#local.dropEnded(),
      error,
      end: (reason) => this.dispose(reason),
    }));
    const remoteMedia = (this.#remote = new RemoteMedia({ peerId, MediaStream: host.rtc.MediaStream, maxRemoteStreams: host.limits.maxRemoteStreams, emit, error }));
    this.#negotiator = new Negotiator(
      {
        connection: pc,
        peerId,
        polite,
        maxTransceivers: host.limits.maxTransceivers,
        inband: () => path.inband,
        request: (kinds) => path.send({ kind: 'Negotiate', ...kinds }),
        sendDescription: () => path.sendDescription(),
        started: () => liveness.started(),
        applied: async () => {
          path.ensureChannel();
          liveness.started();
          await candidates.flushRemote();
        },
        settled: () => remoteMedia.reconcile(),
        error,
      },
      offerer,
    );
    this.#channels = new Channels({
      connection: pc,
      peerId,
      polite,
      limits: host.limits,
      inbandOpened: () => path.opened,
      request: (label, options) => path.send({ kind: 'ChannelOpen', label, ...(options ? { options } : {}) }),
      defaults: () => host.channelOptions(),
      heard: () => liveness.heard(),
      emit,
      error,
    });
    const local = (this.#local = new LocalMedia({
      connection: pc,
      peerId,
      inbandOpened: () => path.opened,
      announce: (streams) => path.send({ kind: 'Streams', streams }),
      unshared: (streamId, tracks) => path.send({ kind: 'Unshare', streamId, tracks }),
      videoChanged: () => host.videoChanged(local),
      error,
    }));
    this.#stats = new StatsSampler(pc, (mid) => local.labelOfMid(mid));

    pc.onnegotiationneeded = () => this.#negotiator.negotiationNeeded();
    pc.onicecandidate = (event) => candidates.local(event.candidate);
    pc.onicegatheringstatechange = () => {
      if (pc.iceGatheringState === 'complete') candidates.gatheringComplete();
    };
    pc.onconnectionstatechange = () => liveness.transport(pc.connectionState);
    pc.ondatachannel = (event) => this.#channels.remote(event.channel);
    pc.ontrack = (event) => remoteMedia.track(event);
    // The answerer adds channel 0 once the offer is applied, so it never fires a
    // negotiationneeded of its own that could later cross the offerer's renegotiation.
    if (offerer) path.ensureChannel();
    queueMicrotask(() => this.#emit('connection:new', { remote: this, state: 'new' }));
  }

  /** `new`, `connecting`, `connected`, `disconnected`, `failed` or `closed`. */
  get state(): ConnectionState {
    return this.#liveness.state;
  }

  /** True when this side yields on offer collisions. */
  get polite(): boolean {
    return this.#polite;
  }

  /** Open data channels to this peer, by label. */
  get channels(): ReadonlyMap<string, Channel> {
    return this.#channels.map;
  }

  /** Streams this peer shares with us, by stream id. */
  get streams(): MediaStream[] {
    return this.#remote.streams;
  }

  /** The label the remote gave a stream it shares. */
  labelOf(stream: MediaStream): string | undefined {
    return this.#remote.labelOf(stream);
  }

  /** Healthy: connected and heard from recently. */
  get healthy(): boolean {
    return this.#liveness.healthy;
  }

  // ───────────────────────── public operations ─────────────────────────

  /** Sends on one channel (`label`) or on every open channel to this peer. */
  send(data: SendData, options: SendOptions = {}): Promise<void> {
    return this.#channels.send(data, options);
  }

  /** Opens a data channel with this peer (before or after it connected). */
  open(options: OpenOptions): Channel {
    return this.#channels.open(options);
  }

  /** Closes the channel `label` on both sides. */
  close({ label }: { label: string }): void {
    this.#channels.close(label);
  }

  /** Shares a stream with this peer only. */
  share(options: MediaStream | ShareOptions): void {
    this.#local.share(toShareEntry(options));
  }

  /** Stops sharing a stream (by stream, label or `{ label }`) with this peer. */
  unshare(target: ShareTarget): void {
    this.#local.unshare(target);
  }

  /** Bitrates (since the previous call), RTT, loss and what video is sent on this connection. */
  stats(): Promise<RemoteStats> {
    return this.#stats.sample();
  }

  /**
   * Asks this peer to send less (or again all) of the stream it shares as `label`, on this
   * connection only: `{ video: false }` pauses its video, `{ maxHeight }` caps its height, `{}` lifts both.
   * Asked before the connection opened, it is sent once it opens (the latest per label).
   */
  request(label: string, want: MediaWant): void {
    const message = toMediaRequest(label, want);
    if (this.#path.opened || this.#disposed) this.#path.send(message);
    else this.#heldRequests.hold(message, this.id);
  }

  // ───────────────────────── from Peer ─────────────────────────

  /** @internal An offer or answer that came through the broker. */
  receiveBrokerDescription(description: CompactDescription): void {
    // Expanded in turn: a malformed one fails as an `error` event, never into the caller.
    this.#negotiator.receive(() => expandDescription(description));
  }

  /** @internal Candidates that came through the broker. */
  receiveBrokerCandidates(candidates: SignalMessage & { kind: 'BrokerCandidates' }): void {
    this.#negotiator.enqueue(async () => {
      for (const c of candidates.candidates) await this.#candidates.remote({ candidate: formatCandidate(c), sdpMid: '0', sdpMLineIndex: 0 });
    });
  }

  /** @internal Restart ICE from this side (the broker carries the offer while the path is down). */
  restartIce(): void {
    if (this.#disposed) return;
    this.#negotiator.allowBrokerOffer();
    this.connection.restartIce();
  }

  /** @internal Says goodbye in-band (used by `Peer.leave`). */
  sayGoodbye(): void {
    this.#path.send({ kind: 'Leave' });
  }

  /** @internal Ends the connection: closes channels, removes remote streams, emits `connection:closed`. */
  dispose(reason: DisposeReason): void {
    if (this.#disposed) return;
    this.#disposed = true;
    debug('dispose', this.id.slice(0, 8), reason);
    this.#liveness.dispose();
    this.#candidates.dispose();
    this.#negotiator.dispose();
    this.#local.dispose();
    this.#channels.dispose();
    this.#remote.dispose();
    this.#path.dispose();
    const pc = this.connection;
    pc.onnegotiationneeded = pc.onicecandidate = pc.onicegatheringstatechange = null;
    pc.onconnectionstatechange = pc.ondatachannel = pc.ontrack = null;
    pc.close();
    this.#liveness.set('closed');
    this.#host.onDisposed(this, reason);
  }

  // ───────────────────────── wiring ─────────────────────────

  /** Channel 0 opened: connected; queued candidates, channels and shares go out. */
  #onInbandOpen(): void {
    if (this.#disposed) return;
    this.#negotiator.inbandOpened();
    this.#liveness.start();
    // A `connection:connected` listener may have closed it already.
    if (this.#disposed) return;
    this.#candidates.startFlowing();
    this.#candidates.flush();
    this.#liveness.startHeartbeat();
    this.#channels.start();
    this.#local.start(this.#host.shares());
    this.#heldRequests.flush((message) => this.#path.send(message));
  }

  /** One in-band message, to the part it is for. */
  #onInband(message: SignalMessage): void {
    switch (message.kind) {
      case 'Description':
        debug('in-band', message.type, 'from', this.id.slice(0, 8));
        return this.#negotiator.receive({ type: message.type, sdp: message.sdp });
      case 'Candidates':
        return this.#negotiator.enqueue(async () => {
          for (const c of message.candidates) await this.#candidates.remote(c);
        });
      case 'ChannelOpen':
        return this.#channels.requested(message.label, message.options ?? {});
      case 'ChannelClose':
        return this.#channels.map.get(message.label)?.close();
      case 'Streams':
        return this.#remote.announced(message.streams);
      case 'Unshare':
        return this.#remote.unshared(message.streamId, message.tracks);
      case 'Ping':
        return this.#path.send({ kind: 'Pong', time: message.time });
      case 'Pong':
        return;
      case 'Leave':
        return this.dispose('left');
      case 'Negotiate':
        return this.#negotiator.onRequest(message.audio, message.video, message.seen);
      case 'MediaRequest':
        return this.#local.requested(message.label, wantOf(message));
      default:
        this.#error(new PeerixError('ERR_UNEXPECTED', `${message.kind} is not an in-band message`, { peerId: this.id }));
    }
  }

  #emit<K extends keyof PeerEvents & string>(type: K, payload: PeerEvents[K]): void {
    this.emit(type, payload);
    this.#host.forward(type, payload);
  }

  #error(error: PeerixError): void {
    this.#emit('error', { error, remote: this, peerId: this.id });
  }
}
