import { toPeerixError, type PeerixError } from '../errors.js';
import { formatCandidate, parseCandidate } from '../signaling/sdp.js';

/** Remote candidates kept while no remote description is set. */
export const MAX_PENDING_CANDIDATES = 64;
/** Longest wait for candidates before a description goes to the broker without them. */
const GATHER_CAP_MS = 1500;
/**
 * Quiet time after the last candidate before a broker description leaves.
 * Host candidates come within a few milliseconds of each other; waiting the
 * whole candidate debounce here only delays every connection.
 */
const GATHER_QUIET_MS = 5;

export interface CandidateHooks {
  /** Milliseconds local candidates are batched before they leave. */
  readonly debounce: number;
  readonly peerId: string;
  /** The connection whose gathering `gathered()` watches. */
  readonly connection: Pick<RTCPeerConnection, 'iceGatheringState' | 'addEventListener' | 'removeEventListener'>;
  /** Sends a batch of local candidates (the signal path picks in-band or broker). */
  send(batch: RTCIceCandidate[]): void;
  /** True once a remote description is set: candidates can be applied. */
  hasRemoteDescription(): boolean;
  apply(candidate: RTCIceCandidateInit): Promise<void>;
  /** True while a colliding offer is ignored: its candidates failing is expected. */
  ignoringOffer(): boolean;
  error(error: PeerixError): void;
}

/**
 * ICE candidates of one connection, both ways. Local ones are batched
 * (`debounce` ms) and leave only once there is somewhere to send them (a
 * description went out, or the in-band channel opened), minus those the
 * description already carried. Remote ones wait (at most 64) for the remote description.
 */
export class CandidateBatcher {
  #hooks: CandidateHooks;
  #outgoing: RTCIceCandidate[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inDescription = new Set<string>();
  /** Local candidates leave as they come (after the debounce); before that they collect. */
  #flowing = false;
  #gatherWaiters = new Set<() => void>();
  #pendingRemote: RTCIceCandidateInit[] = [];
  #disposed = false;

  constructor(hooks: CandidateHooks) {
    this.#hooks = hooks;
  }

  /** Local candidates not sent yet. */
  get queued(): number {
    return this.#outgoing.length;
  }

  /** Remote candidates waiting for the remote description. */
  get pendingRemote(): number {
    return this.#pendingRemote.length;
  }

  /** A local candidate from `icecandidate` (null: gathering done). */
  local(candidate: RTCIceCandidate | null): void {
    if (!candidate || !candidate.candidate) return;
    this.#outgoing.push(candidate);
    if (this.#flowing) this.schedule();
  }

  /** From now on candidates leave as they come; `described` ones (in a description sent) are skipped. */
  startFlowing(described: Iterable<string> = []): void {
    for (const line of described) this.#inDescription.add(line);
    this.#flowing = true;
  }

  /** Sends what is queued after the debounce (one timer at a time). */
  schedule(): void {
    if (this.#timer !== undefined || this.#disposed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush();
    }, this.#hooks.debounce);
  }

  /** Sends what is queued now. */
  flush(): void {
    const batch = this.#outgoing.splice(0).filter((c) => !this.#inDescription.has(candidateKey(c.candidate)));
    if (batch.length && !this.#disposed) this.#hooks.send(batch);
  }

  /** Waits until gathering completes, or candidates stop coming for a short quiet time (capped). */
  gathered(): Promise<void> {
    const pc = this.#hooks.connection;
    if (pc.iceGatheringState === 'complete' || this.#disposed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const cap = setTimeout(done, GATHER_CAP_MS);
      let quiet: ReturnType<typeof setTimeout> | undefined;
      const onCandidate = (): void => {
        clearTimeout(quiet);
        quiet = setTimeout(done, Math.min(GATHER_QUIET_MS, this.#hooks.debounce));
      };
      const waiters = this.#gatherWaiters;
      function done(): void {
        clearTimeout(cap);
        clearTimeout(quiet);
        pc.removeEventListener('icecandidate', onCandidate);
        waiters.delete(done);
        resolve();
      }
      pc.addEventListener('icecandidate', onCandidate);
      waiters.add(done);
      if (this.#outgoing.length) onCandidate();
    });
  }

  /** Gathering completed: whoever waits in `gathered()` goes on. */
  gatheringComplete(): void {
    for (const wake of [...this.#gatherWaiters]) wake();
  }

  /** A remote candidate: applied, or kept until the remote description is set. */
  async remote(candidate: RTCIceCandidateInit): Promise<void> {
    if (!this.#hooks.hasRemoteDescription()) {
      if (this.#pendingRemote.length < MAX_PENDING_CANDIDATES) this.#pendingRemote.push(candidate);
      return;
    }
    try {
      await this.#hooks.apply(candidate);
    } catch (error) {
      if (!this.#hooks.ignoringOffer()) this.#hooks.error(toPeerixError(error, 'ERR_CONNECTION', 'a remote ICE candidate was refused', this.#hooks.peerId));
    }
  }

  /** The remote description is set: applies the candidates that waited for it. */
  async flushRemote(): Promise<void> {
    for (const candidate of this.#pendingRemote.splice(0)) await this.remote(candidate);
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.gatheringComplete();
  }
}

/**
 * Compares candidates by their compact fields: the browser's text carries
 * extras (generation, ufrag, network-id) that the compact form leaves out, so
 * a candidate already in the description is not sent again.
 */
export function candidateKey(line: string): string {
  const compact = parseCandidate(line.replace(/^a=/, ''));
  return compact ? formatCandidate(compact) : line;
}
