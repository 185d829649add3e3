import { createDebug } from '../debug.js';
import { PeerixError, toPeerixError } from '../errors.js';
import { toArrayBuffer } from '../rtc.js';
import { decodeFrame, encodeFrame } from '../signaling/codec.js';
import type { CompactCandidate, IceCandidateInit, SignalMessage } from '../signaling/messages.js';
import { compactDescription, formatCandidate, parseCandidate, sdpOrigin } from '../signaling/sdp.js';
import type { Metadata } from '../types.js';

const debug = createDebug('peerix:remote');

/** The in-band signaling channel: pre-negotiated, so it needs no signaling of its own. */
const SIGNAL_CHANNEL: RTCDataChannelInit = { negotiated: true, id: 0, ordered: true };
export const SIGNAL_LABEL = 'peerix';
/**
 * A broker may lose a message (QoS 0, a reconnect, an overloaded client): an offer
 * still unanswered after each of these delays is published again. The answerer
 * answers a repeated offer by repeating its answer (negotiator.ts).
 */
const OFFER_RESENDS_MS = [2000, 4000, 8000];

export interface SignalPathHooks {
  readonly connection: RTCPeerConnection;
  readonly peerId: string;
  /** The in-band channel opened (once). */
  opened(): void;
  /** The in-band channel closed. */
  closed(): void;
  /** Any frame arrived (even one that does not decode): a sign of life. */
  heard(): void;
  message(message: SignalMessage): void;
  error(error: PeerixError): void;
  /** Publishes to this remote through the broker. */
  sendBroker(message: SignalMessage): Promise<void>;
  /** Our metadata, carried by broker descriptions. */
  metadata(): Metadata;
  /** Resolves once local candidates are gathered enough to ride in a broker description. */
  gathered(): Promise<void>;
  /** A broker description left carrying these candidates (their compact text); later candidates may follow. */
  described(candidates: string[]): void;
  /** The broker description is out: trickle what came meanwhile. */
  afterDescription(): void;
}

/**
 * How signaling reaches one remote: the pre-negotiated data channel 0 once it
 * is open, the broker before that (and whenever the connection is down). The
 * rule lives here, in `inband`; descriptions and candidates take the same route.
 */
export class SignalPath {
  #hooks: SignalPathHooks;
  #channel: RTCDataChannel | null = null;
  #opened = false;
  #disposed = false;
  #resendTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(hooks: SignalPathHooks) {
    this.#hooks = hooks;
  }

  /** Channel 0 opened at some point (it stays the path for channels and media). */
  get opened(): boolean {
    return this.#opened;
  }

  /** Signaling goes in-band now: channel 0 open and the connection not down. */
  get inband(): boolean {
    const state = this.#hooks.connection.connectionState;
    return this.#opened && this.#channel?.readyState === 'open' && state !== 'disconnected' && state !== 'failed';
  }

  /** Creates channel 0 (the offerer at once; the answerer once the offer is applied). */
  ensureChannel(): void {
    if (this.#channel || this.#disposed) return;
    const channel = this.#hooks.connection.createDataChannel(SIGNAL_LABEL, SIGNAL_CHANNEL);
    channel.binaryType = 'arraybuffer';
    channel.onopen = () => {
      if (this.#disposed) return;
      this.#opened = true;
      this.#hooks.opened();
    };
    channel.onclose = () => this.#hooks.closed();
    channel.onmessage = (event) => this.#receive(event.data);
    this.#channel = channel;
  }

  /** Sends one message in-band (dropped while channel 0 is not open). */
  send(message: SignalMessage): void {
    if (this.#channel?.readyState !== 'open') return;
    try {
      this.#channel.send(encodeFrame(message) as Uint8Array<ArrayBuffer>);
    } catch (error) {
      this.#hooks.error(toPeerixError(error, 'ERR_CONNECTION', `in-band ${message.kind} could not be sent`, this.#hooks.peerId));
    }
  }

  /** Sends the current local description: in-band when possible, else through the broker with its candidates. */
  async sendDescription(): Promise<void> {
    const pc = this.#hooks.connection;
    const local = pc.localDescription;
    if (!local || this.#disposed) return;
    if (this.inband) {
      debug('in-band', local.type, 'to', this.#hooks.peerId.slice(0, 8));
      this.send({ kind: 'Description', type: local.type as 'offer' | 'answer', sdp: local.sdp });
      return;
    }
    await this.#hooks.gathered();
    const settled = pc.localDescription;
    // A collision may have rolled our offer back while we waited.
    if (this.#disposed || !settled || settled.type !== local.type || pc.signalingState === 'stable' && local.type === 'offer') return;
    const compact = compactDescription({ type: settled.type as 'offer' | 'answer', sdp: settled.sdp });
    this.#hooks.described(compact.candidates.map(formatCandidate));
    // Both carry the sender's metadata: pair-authenticated, so no other member can speak for it.
    const metadata = JSON.stringify(this.#hooks.metadata());
    const message: SignalMessage = { kind: compact.type === 'offer' ? 'BrokerOffer' : 'BrokerAnswer', description: compact, metadata };
    await this.#hooks.sendBroker(message);
    this.#hooks.afterDescription();
    if (message.kind === 'BrokerOffer') this.#resendUnanswered(message, sdpOrigin(settled.sdp), 0);
  }

  /** Publishes `offer` again while it stays our unanswered local offer and the path is still the broker. */
  #resendUnanswered(offer: SignalMessage, origin: string | undefined, attempt: number): void {
    clearTimeout(this.#resendTimer);
    const delay = OFFER_RESENDS_MS[attempt];
    if (delay === undefined) return;
    this.#resendTimer = setTimeout(() => {
      const pc = this.#hooks.connection;
      if (this.#disposed || this.inband || pc.signalingState !== 'have-local-offer' || sdpOrigin(pc.localDescription?.sdp) !== origin) return;
      debug('no answer yet from', this.#hooks.peerId.slice(0, 8), ': offer sent again');
      void this.#hooks.sendBroker(offer).catch((error: unknown) => this.#hooks.error(toPeerixError(error, 'ERR_CONNECTION', 'a repeated offer could not be sent', this.#hooks.peerId)));
      this.#resendUnanswered(offer, origin, attempt + 1);
    }, delay);
  }

  /** Sends a batch of local candidates the same way. */
  sendCandidates(batch: RTCIceCandidate[]): void {
    if (this.inband) {
      const candidates: IceCandidateInit[] = batch.map((c) => ({
        candidate: c.candidate,
        ...(c.sdpMid != null ? { sdpMid: c.sdpMid } : {}),
        ...(c.sdpMLineIndex != null ? { sdpMLineIndex: c.sdpMLineIndex } : {}),
      }));
      this.send({ kind: 'Candidates', candidates });
      return;
    }
    // An active TCP host candidate pairs only with a passive one, which browsers do not
    // gather: not worth a broker message of its own (it still rides in descriptions).
    const compact = batch
      .map((c) => parseCandidate(c.candidate))
      .filter((c): c is CompactCandidate => c !== null && !(c.protocol === 'tcp' && c.tcpType === 'active' && c.type === 'host'));
    if (compact.length) void this.#hooks.sendBroker({ kind: 'BrokerCandidates', candidates: compact });
  }

  #receive(data: unknown): void {
    this.#hooks.heard();
    let message: SignalMessage;
    try {
      const bytes = toArrayBuffer(data);
      if (!bytes) throw new PeerixError('ERR_DECODE', 'in-band signaling frame is not binary');
      message = decodeFrame(new Uint8Array(bytes));
    } catch (error) {
      this.#hooks.error(toPeerixError(error, 'ERR_DECODE', 'dropped an in-band signaling frame', this.#hooks.peerId));
      return;
    }
    this.#hooks.message(message);
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#resendTimer);
    if (this.#channel) this.#channel.onopen = this.#channel.onclose = this.#channel.onmessage = null;
  }
}
