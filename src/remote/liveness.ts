import { createDebug } from '../debug.js';
import { PeerixError } from '../errors.js';
import type { ConnectionState } from '../types.js';

const debug = createDebug('peerix:remote');

/** Grace before an ICE restart once the connection reports `disconnected`. */
const RESTART_DELAY_MS = 1000;
/** A setup not connected by then is rebuilt (when no `connectionTimeout` is set). */
export const SETUP_WATCHDOG_MS = 15_000;
/**
 * A silent peer whose ICE/DTLS transport still reports `connected` is most
 * likely starved (a busy CPU delays its pings), not gone: it gets this many
 * heartbeat timeouts before the connection ends. A rebuild would cost more
 * CPU than it saves; a peer that is really gone takes its transport down.
 */
export const STARVED_TIMEOUTS = 3;

/** Why a connection ends (the `Peer` decides from it whether to rebuild). */
export type DisposeReason = 'left' | 'leaving' | 'vanished' | 'failed' | 'timeout' | 'replaced' | 'refused';

export interface LivenessHooks {
  readonly peerId: string;
  /** The polite side never restarts ICE itself, so two restarts do not collide. */
  readonly polite: boolean;
  /** User limit for a setup (0: none, then a hung setup is rebuilt after SETUP_WATCHDOG_MS). */
  readonly connectionTimeout: number;
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

  constructor(hooks: LivenessHooks) {
    this.#hooks = hooks;
    const { connectionTimeout, peerId } = hooks;
    this.#setupTimer = setTimeout(() => {
      if (this.#state === 'connected' || this.#state === 'closed') return;
      if (connectionTimeout > 0) {
        hooks.error(new PeerixError('ERR_TIMEOUT', `no connection to ${peerId} within ${connectionTimeout} ms`, { peerId }));
        hooks.end('timeout');
      } else {
        // Without a user limit, a setup that hangs (for example started while the
        // network was down, so with no candidates) is dropped and rebuilt through the broker.
        debug('setup to', peerId.slice(0, 8), 'still not connected: rebuilding');
        hooks.end('failed');
      }
    }, connectionTimeout > 0 ? connectionTimeout : SETUP_WATCHDOG_MS);
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
    this.#heartbeat = setInterval(() => this.#tick(), Math.max(50, this.#hooks.heartbeatInterval / 2));
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
    const silent = Date.now() - this.#lastSeen;
    const timeout = this.#hooks.heartbeatTimeout;
    if (silent > timeout && (silent > timeout * STARVED_TIMEOUTS || this.#hooks.transportState() !== 'connected')) {
      debug('heartbeat lost', this.#hooks.peerId.slice(0, 8));
      this.#hooks.end('vanished');
      return;
    }
    const now = Date.now();
    if (now - this.#lastPing >= this.#hooks.heartbeatInterval && this.#hooks.inband()) {
      this.#lastPing = now;
      this.#hooks.ping(now);
    }
    this.#hooks.tick();
  }

  /** Stops every timer (the state then goes to `closed` through `set`). */
  dispose(): void {
    clearInterval(this.#heartbeat);
    clearTimeout(this.#restartTimer);
    clearTimeout(this.#setupTimer);
  }
}
