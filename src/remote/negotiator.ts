import { createDebug } from '../debug.js';
import { PeerixError, toPeerixError } from '../errors.js';
import { sdpOrigin } from '../signaling/sdp.js';

const debug = createDebug('peerix:remote');

/** The parts of `RTCPeerConnection` negotiation uses (a scripted fake in the unit tests). */
export type NegotiatingConnection = Pick<
  RTCPeerConnection,
  'signalingState' | 'localDescription' | 'remoteDescription' | 'setLocalDescription' | 'setRemoteDescription' | 'getTransceivers' | 'addTransceiver'
>;

/** A polite side's `Negotiate`: the m-lines its new tracks need, and the remote description it had then. */
export interface OfferRequest {
  audio: number;
  video: number;
  /** The `o=` session id and version of the asker's remote description (absent from peers before 0.5). */
  seen?: string;
}

export interface NegotiatorHooks {
  readonly connection: NegotiatingConnection;
  readonly peerId: string;
  /** The polite side yields on collisions and, in-band, asks instead of offering. */
  readonly polite: boolean;
  readonly maxTransceivers: number;
  /** True while signaling goes in-band (see SignalPath.inband). */
  inband(): boolean;
  /** Polite side, in-band: asks the impolite side for an offer with room for its new tracks. */
  request(ask: OfferRequest): void;
  /** Sends the local description just set (the signal path picks the route). */
  sendDescription(): Promise<void>;
  /** A description left or was applied: the connection is under way. */
  started(): void;
  /** A remote description was applied (before any answer of ours). */
  applied(): Promise<void>;
  /** A round completed: transceivers' directions are settled. */
  settled(): void;
  error(error: PeerixError): void;
}

/**
 * Perfect negotiation for one connection: one task at a time, collisions
 * settled by politeness (the polite side rolls back, the impolite side
 * ignores the other offer). In-band only the impolite side offers: the polite
 * side asks it to (`Negotiate`, with the m-lines its new tracks need), so two
 * offers never cross. Crossing offers are where browsers differ most: Chromium
 * cannot apply a Firefox offer after rolling back its own ("RTP extension ID
 * reassignment not supported"). Through the broker (first connection, ICE
 * restart) either side may offer and perfect negotiation settles collisions.
 */
export class Negotiator {
  #hooks: NegotiatorHooks;
  #work: Promise<void> = Promise.resolve();
  #makingOffer = false;
  #ignoreOffer = false;
  #settingRemoteAnswer = false;
  /** An offer was asked for while a round was in progress. */
  #offerRequested = false;
  /** Polite side: the last request sent, so the same one is not sent twice for one description. */
  #lastAsk = '';
  /** Impolite side: the request waiting for its turn. */
  #request: OfferRequest | undefined;
  /** Offers may go through the broker (the first one, an ICE restart) until the in-band path opens. */
  #brokerOffers: boolean;
  #disposed = false;

  /** `offerer`: this side makes the first offer, through the broker. */
  constructor(hooks: NegotiatorHooks, offerer: boolean) {
    this.#hooks = hooks;
    this.#brokerOffers = offerer;
  }

  /** True while a colliding remote offer is being ignored (impolite side). */
  get ignoringOffer(): boolean {
    return this.#ignoreOffer;
  }

  /** Runs `task` after every earlier one; a failure becomes an `error`. */
  enqueue(task: () => Promise<void>): void {
    this.#work = this.#work.then(task).catch((error: unknown) => {
      if (!this.#disposed) this.#hooks.error(toPeerixError(error, 'ERR_CONNECTION', 'negotiation failed', this.#hooks.peerId));
    });
  }

  /** `negotiationneeded`: offer (or, polite and in-band, ask for an offer). */
  negotiationNeeded(): void {
    debug('negotiation needed with', this.#hooks.peerId.slice(0, 8), 'while', this.#hooks.connection.signalingState);
    this.enqueue(() => this.#negotiate());
  }

  /** The next offer may go through the broker (an ICE restart while the path is down). */
  allowBrokerOffer(): void {
    this.#brokerOffers = true;
  }

  /** The in-band path opened: offers go there from now on. */
  inbandOpened(): void {
    this.#brokerOffers = false;
  }

  /** An offer or answer from the remote (through either path); a function is read in turn (a failure is an `error`). */
  receive(description: RTCSessionDescriptionInit | (() => RTCSessionDescriptionInit)): void {
    this.enqueue(() => this.#onDescription(typeof description === 'function' ? description() : description));
  }

  /**
   * Impolite side: the polite side needs an offer, with room for its new tracks. Taken in
   * turn: a request sent before the polite side saw our latest description (`seen` differs)
   * is dropped, as that description may already carry m-lines its tracks take (JSEP
   * associates them when the offer is applied); the polite side asks again after applying
   * it if tracks are still without an m-line. Serving such a request cost a second round
   * with an m-line nobody used.
   */
  onRequest(audio: number, video: number, seen?: string): void {
    const { connection: pc, peerId } = this.#hooks;
    if (this.#hooks.polite) {
      this.#hooks.error(new PeerixError('ERR_UNEXPECTED', 'a Negotiate request from the impolite side', { peerId }));
      return;
    }
    // A request states all the asker needs: the latest one waiting replaces the one before,
    // so a flood of requests holds one task, not one each.
    const waiting = this.#request !== undefined;
    this.#request = { audio, video, seen };
    if (waiting) return;
    this.enqueue(async () => {
      const request = this.#request!;
      this.#request = undefined;
      if (request.seen !== undefined && request.seen !== sdpOrigin(pc.localDescription?.sdp)) {
        return debug('request of', peerId.slice(0, 8), 'predates our last description: dropped');
      }
      this.#makeRoom(request.audio, request.video);
      if (request.audio + request.video === 0) await this.#negotiate(true);
    });
  }

  /**
   * Recvonly m-lines for a request, less our own transceivers that can receive and have no
   * m-line yet: our next offer carries those too, and the polite side's tracks take them.
   */
  #makeRoom(audio: number, video: number): void {
    const { connection: pc, peerId, maxTransceivers: max } = this.#hooks;
    const wanted = { audio, video };
    for (const t of pc.getTransceivers()) {
      const kind = t.receiver.track.kind;
      const receives = t.direction === 'sendrecv' || t.direction === 'recvonly';
      if (t.mid === null && receives && (kind === 'audio' || kind === 'video') && wanted[kind] > 0) wanted[kind]--;
    }
    if (pc.getTransceivers().length + wanted.audio + wanted.video > max) {
      this.#hooks.error(new PeerixError('ERR_LIMIT', `${peerId} asked for more than ${max} transceivers: refused`, { peerId }));
      return;
    }
    // New transceivers fire negotiationneeded by themselves; a direction change is offered by onRequest.
    for (let i = 0; i < wanted.audio; i++) pc.addTransceiver('audio', { direction: 'recvonly' });
    for (let i = 0; i < wanted.video; i++) pc.addTransceiver('video', { direction: 'recvonly' });
  }

  dispose(): void {
    this.#disposed = true;
  }

  async #negotiate(forced = false): Promise<void> {
    if (this.#disposed) return;
    const pc = this.#hooks.connection;
    if (this.#hooks.inband()) {
      if (this.#hooks.polite) return this.#ask(true);
    } else if (!this.#brokerOffers) {
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
      this.#hooks.started();
      await this.#hooks.sendDescription();
    } finally {
      this.#makingOffer = false;
    }
  }

  /**
   * Polite side, in-band: asks for an offer, once per remote description. Not while an offer
   * is being applied: it may give our tracks their m-lines, and the answer path asks after it.
   * `always`: also when no track lacks an m-line (negotiationneeded for a direction change).
   */
  #ask(always: boolean): void {
    const pc = this.#hooks.connection;
    if (pc.signalingState !== 'stable') return;
    const kinds = this.#unassociatedKinds();
    if (!always && kinds.audio + kinds.video === 0) return;
    const seen = sdpOrigin(pc.remoteDescription?.sdp);
    const key = `${seen} ${kinds.audio} ${kinds.video}`;
    if (key === this.#lastAsk) return;
    this.#lastAsk = key;
    debug('asks', this.#hooks.peerId.slice(0, 8), `for an offer (${kinds.audio} audio, ${kinds.video} video m-lines)`);
    this.#hooks.request(seen === undefined ? kinds : { ...kinds, seen });
  }

  /** Local transceivers with a track but no m-line yet, by kind. */
  #unassociatedKinds(): { audio: number; video: number } {
    const counts = { audio: 0, video: 0 };
    for (const t of this.#hooks.connection.getTransceivers()) {
      const kind = t.sender.track?.kind;
      if (t.mid === null && (kind === 'audio' || kind === 'video') && t.currentDirection !== 'stopped') counts[kind]++;
    }
    return counts;
  }

  async #onDescription(description: RTCSessionDescriptionInit): Promise<void> {
    if (this.#disposed) return;
    const { connection: pc, peerId, maxTransceivers: max } = this.#hooks;
    const isOffer = description.type === 'offer';
    // Every m-line of a remote offer becomes a transceiver here: the same cap as Negotiate (+1: data).
    const mLines = description.sdp?.match(/^m=/gm)?.length ?? 0;
    if (isOffer && mLines > max + 1) {
      this.#hooks.error(new PeerixError('ERR_LIMIT', `${peerId} offered ${mLines} m-lines, more than ${max} transceivers: refused`, { peerId }));
      return;
    }
    if (repeats(description, pc.remoteDescription)) {
      // The broker brought it again: the other side repeats an offer we answered (our answer
      // may be lost), or our answer to a repeat. Nothing to apply; a repeated offer is answered again.
      debug('repeated', description.type, 'from', peerId.slice(0, 8));
      if (isOffer && pc.signalingState === 'stable' && pc.localDescription?.type === 'answer') await this.#hooks.sendDescription();
      return;
    }
    const readyForOffer = !this.#makingOffer && (pc.signalingState === 'stable' || this.#settingRemoteAnswer);
    const collision = isOffer && !readyForOffer;
    this.#ignoreOffer = !this.#hooks.polite && collision;
    if (this.#ignoreOffer) {
      debug('ignored colliding offer from', peerId.slice(0, 8));
      return;
    }
    if (description.type === 'answer' && pc.signalingState !== 'have-local-offer') {
      throw new PeerixError('ERR_UNEXPECTED', `answer from ${peerId} while ${pc.signalingState}`, { peerId });
    }
    this.#settingRemoteAnswer = description.type === 'answer';
    try {
      // Explicit rollback: clearer than the implicit one across browsers.
      if (collision && pc.signalingState === 'have-local-offer') await pc.setLocalDescription({ type: 'rollback' });
      await pc.setRemoteDescription(description);
    } finally {
      this.#settingRemoteAnswer = false;
    }
    await this.#hooks.applied();
    if (isOffer) {
      // Their offer set the connection up: ours is not needed any more. Chromium fires
      // negotiationneeded again after a rollback; through the broker that re-offer cost
      // another offer and answer before channel 0 could open (in-band it is cheap).
      if (!this.#hooks.inband()) this.#brokerOffers = false;
      await pc.setLocalDescription();
      this.#hooks.settled();
      await this.#hooks.sendDescription();
      // Tracks the offer gave no m-line to still need one (negotiationneeded may not fire again).
      if (this.#hooks.polite && this.#hooks.inband()) this.#ask(false);
      return;
    }
    // currentDirection is only settled once the round is complete (stable).
    this.#hooks.settled();
    if (this.#offerRequested) {
      this.#offerRequested = false;
      this.enqueue(() => this.#negotiate(true));
    }
  }
}

/** True when `description` is the remote description already applied, delivered again. */
function repeats(description: RTCSessionDescriptionInit, current: RTCSessionDescriptionInit | null): boolean {
  const origin = sdpOrigin(description.sdp);
  return !!current && current.type === description.type && origin !== undefined && origin === sdpOrigin(current.sdp);
}
