import { createDebug } from '../debug.js';
import { PeerixError } from '../errors.js';
import type { ConnectionState } from '../types.js';

const debug = createDebug('peerix:remote');

/** Grace before an ICE restart once the connection reports `disconnected`. */
const RESTART_DELAY_MS = 1000;
/** A setup not connected by then is rebuilt (when no `connectionTimeout` is set). */
export const SETUP_WATCHDOG_MS = 15_000;
/** Silent for this share of `heartbeatTimeout`: the traffic check starts (its baseline is taken). */
const WATCH_AFTER = 0.3;
/** Share of `heartbeatTimeout` the traffic must stay flat before a silent peer counts as gone. */
const FLAT_FOR = 0.65;
/** Extra SETUP_WATCHDOG_MS periods a setup gets while it makes progress (see `#setupDue`). */
const SETUP_EXTENSIONS = 2;
/** Why a connection ends (the `Peer` decides from it whether to rebuild). */
export type DisposeReason = 'left' | 'leaving' | 'vanished' | 'failed' | 'timeout' | 'replaced' | 'refused';

export interface LivenessHooks {
  readonly peerId: string;
  /** The polite side never restarts ICE itself, so two restarts do not collide. */
  readonly polite: boolean;
  /** User limit for a setup (0: none, then a hung setup is rebuilt after SETUP_WATCHDOG_MS). */
  readonly connectionTimeout: number;
  /** The watchdog's period without a user limit (SETUP_WATCHDOG_MS unless set; tests shorten it). */
  readonly setupWatchdog?: number;
  readonly heartbeatInterval: number;
  readonly heartbeatTimeout: number;
  /** The state changed (never reported twice, never after `closed`). */
  changed(state: ConnectionState): void;
  /** The in-band channel has opened (a `connected` transport alone is not enough). */
  inbandOpened(): boolean;
  /** True when a ping can go in-band now. */
  inband(): boolean;
  /** The transport's current `connectionState`. */
  transportState(): RTCPeerConnectionState;
  /**
   * A counter of what arrived on the connection so far (media and data bytes, ICE
   * checks and responses), from `getStats`: a starved peer (busy CPU, late pings)
   * still sends media and answers ICE; a gone one sends nothing.
   */
  trafficReceived(): Promise<number>;
  ping(time: number): void;
  restartIce(): void;
  /** Runs on every heartbeat tick (housekeeping of other parts). */
  tick(): void;
  error(error: PeerixError): void;
  /** The connection is over. */
  end(reason: DisposeReason): void;
}

/**
 * Whether one connection is alive: its public state (mapped from the
 * transport's), the setup watchdog, the in-band heartbeat and the ICE
 * restart after a `disconnected` transport.
 */
export class Liveness {
  #hooks: LivenessHooks;
  #state: ConnectionState = 'new';
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #restartTimer: ReturnType<typeof setTimeout> | undefined;
  #setupTimer: ReturnType<typeof setTimeout> | undefined;
  #lastSeen = 0;
  #lastPing = 0;
  /** The traffic counter when it was last seen to change during a silence (-1: no stats), when the previous check ran, and whether stats are being read. */
  #baseline: { traffic: number; at: number } | undefined;
  #lastCheck = 0;
  /** Milliseconds between heartbeat ticks (and so between traffic checks). */
  #tickMs = 0;
  #checking = false;
  #disposed = false;

  constructor(hooks: LivenessHooks) {
    this.#hooks = hooks;
    this.#watchSetup(SETUP_EXTENSIONS, 0);
  }

  #watchSetup(extensions: number, traffic: number): void {
    const { connectionTimeout } = this.#hooks;
    const period = connectionTimeout > 0 ? connectionTimeout : (this.#hooks.setupWatchdog ?? SETUP_WATCHDOG_MS);
    this.#setupTimer = setTimeout(() => void this.#setupDue(extensions, traffic), period);
  }

  async #setupDue(extensions: number, traffic: number): Promise<void> {
    const { connectionTimeout, peerId } = this.#hooks;
    if (this.#state === 'connected' || this.#state === 'closed' || this.#disposed) return;
    if (connectionTimeout > 0) {
      this.#hooks.error(new PeerixError('ERR_TIMEOUT', `no connection to ${peerId} within ${connectionTimeout} ms`, { peerId }));
      return this.#hooks.end('timeout');
    }
    if (extensions > 0) {
      // Progress: ICE and DTLS are through (only channel 0 is missing), or the remote's ICE
      // checks or answers keep arriving. A starved machine, not a broken path: a rebuild
      // would start from scratch on the same machine, and the other side may be nearly there.
      // A path that really breaks ends sooner: its transport reports `failed`.
      const connected = this.#hooks.transportState() === 'connected';
      const now = await this.#hooks.trafficReceived().catch(() => -1);
      if (this.#disposed || this.#state !== 'new' && this.#state !== 'connecting') return; // connected or ended meanwhile
      if (connected || now > traffic) {
        debug('setup to', peerId.slice(0, 8), connected ? 'slow, transport connected' : 'slow, ICE checks arriving', ': waiting longer');
        return this.#watchSetup(extensions - 1, now);
      }
    }
    // Without a user limit, a setup that hangs (for example started while the
    // network was down, so with no candidates) is dropped and rebuilt through the broker.
    debug('setup to', peerId.slice(0, 8), 'still not connected: rebuilding');
    this.#hooks.end('failed');
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Connected and heard from within the heartbeat timeout. */
  get healthy(): boolean {
    return this.#state === 'connected' && Date.now() - this.#lastSeen < this.#hooks.heartbeatTimeout;
  }

  /** Something arrived from the remote. */
  heard(): void {
    this.#lastSeen = Date.now();
    this.#baseline = undefined;
  }

  set(state: ConnectionState): void {
    if (this.#state === state || this.#state === 'closed') return;
    this.#state = state;
    if (state === 'connected') clearTimeout(this.#setupTimer);
    this.#hooks.changed(state);
  }

  /** A description left or arrived: `new` becomes `connecting`. */
  started(): void {
    if (this.#state === 'new') this.set('connecting');
  }

  /** The in-band channel opened: connected. */
  start(): void {
    this.#lastSeen = Date.now();
    this.set('connected');
  }

  /** Starts the heartbeat, checked twice per interval so a silent peer is noticed soon after the timeout. */
  startHeartbeat(): void {
    if (this.#state === 'closed' || this.#heartbeat !== undefined) return;
    this.#tickMs = Math.max(50, this.#hooks.heartbeatInterval / 2);
    this.#heartbeat = setInterval(() => this.#tick(), this.#tickMs);
  }

  /** Maps the transport's `connectionState` onto ours. */
  transport(state: RTCPeerConnectionState): void {
    debug('connection', this.#hooks.peerId.slice(0, 8), state);
    clearTimeout(this.#restartTimer);
    if (state === 'connected') {
      if (this.#hooks.inbandOpened()) this.set('connected');
    } else if (state === 'connecting') {
      this.started();
    } else if (state === 'disconnected') {
      if (this.#state === 'connected') this.set('disconnected');
      // One side restarts, so the two restarts do not collide.
      this.#restartTimer = setTimeout(() => {
        if (this.#state !== 'closed' && !this.#hooks.polite && this.#hooks.transportState() === 'disconnected') this.#hooks.restartIce();
      }, RESTART_DELAY_MS);
    } else if (state === 'failed') {
      this.set('failed');
      this.#hooks.error(new PeerixError('ERR_CONNECTION', `the connection to ${this.#hooks.peerId} failed`, { peerId: this.#hooks.peerId }));
      this.#hooks.end('failed');
    } else if (state === 'closed') {
      this.#hooks.end('vanished');
    }
  }

  #tick(): void {
    // A third of the timeout without a word: watch the traffic on the connection instead.
    if (Date.now() - this.#lastSeen > this.#hooks.heartbeatTimeout * WATCH_AFTER) return void this.#checkTraffic();
    const now = Date.now();
    if (now - this.#lastPing >= this.#hooks.heartbeatInterval && this.#hooks.inband()) {
      this.#lastPing = now;
      this.#hooks.ping(now);
    }
    this.#hooks.tick();
  }

  /**
   * Silent past the timeout: traffic on the connection since the baseline (media, data,
   * ICE checks) counts as alive: a starved peer, not a gone one, and a rebuild would cost
   * more CPU than it saves. The traffic must stay flat for FLAT_FOR of the timeout (longer
   * than the 2.5 s between the ICE checks of an idle Chromium connection, so a starved
   * peer whose network stack still answers is not taken for gone), measured while this
   * page runs: after a stall of this page (or of the whole machine) the remote's bytes need
   * a moment to show again. No traffic, or no way to tell (transport closed): it ends.
   */
  async #checkTraffic(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    let traffic = -1;
    try {
      // A `disconnected` transport is often a stall that ICE rides out: its traffic still tells.
      const transport = this.#hooks.transportState();
      if (transport !== 'closed' && transport !== 'failed') traffic = await this.#hooks.trafficReceived();
    } catch {
      // No stats (a closing connection): no traffic.
    }
    this.#checking = false;
    if (this.#state === 'closed') return;
    const now = Date.now();
    const timeout = this.#hooks.heartbeatTimeout;
    // This page did not run meanwhile: a check came half a timeout later than its tick was due.
    // (Not merely late: where the tick interval nears timeout / 2, a loaded page would reset the
    // baseline on every check and never end.) No traffic to read (transport closed): no excuse.
    const stalled = traffic >= 0 && now - this.#lastCheck > this.#tickMs + timeout / 2;
    this.#lastCheck = now;
    const baseline = this.#baseline;
    if (baseline !== undefined && traffic > baseline.traffic) return this.heard();
    if (baseline === undefined || stalled) {
      this.#baseline = { traffic: Math.max(traffic, baseline?.traffic ?? -1), at: now };
      return;
    }
    if (now - this.#lastSeen <= timeout || now - baseline.at < timeout * FLAT_FOR) return;
    debug('heartbeat lost', this.#hooks.peerId.slice(0, 8), `silent ${now - this.#lastSeen} ms, transport ${this.#hooks.transportState()}, traffic ${traffic} flat for ${now - baseline.at} ms`);
    this.#hooks.end('vanished');
  }

  /**
   * What arrived on `pc`, for the traffic check: media and data-channel bytes, and
   * the ICE checks and responses of every candidate pair (the remote's network
   * stack answering, even while its page is too busy to ping).
   */
  static async trafficReceived(pc: RTCPeerConnection): Promise<number> {
    let total = 0;
    (await pc.getStats()).forEach((r: { type: string; bytesReceived?: number; requestsReceived?: number; responsesReceived?: number }) => {
      if (r.type === 'inbound-rtp' || r.type === 'data-channel') total += r.bytesReceived ?? 0;
      else if (r.type === 'candidate-pair') total += (r.requestsReceived ?? 0) + (r.responsesReceived ?? 0);
    });
    return total;
  }

  /** Stops every timer (the state then goes to `closed` through `set`). */
  dispose(): void {
    this.#disposed = true;
    clearInterval(this.#heartbeat);
    clearTimeout(this.#restartTimer);
    clearTimeout(this.#setupTimer);
  }
}
