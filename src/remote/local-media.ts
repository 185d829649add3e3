import { createDebug } from '../debug.js';
import { PeerixError, toPeerixError } from '../errors.js';
import type { StreamInfo } from '../signaling/messages.js';
import { findShare, liveTracks, type ShareEntry, type ShareTarget } from '../shares.js';
import type { MediaWant, SenderParameters } from '../types.js';
import { combineParameters, wantParameters, writeEncodings } from '../uplink-budget.js';

const debug = createDebug('peerix:remote');

export interface LocalMediaHooks {
  readonly connection: RTCPeerConnection;
  readonly peerId: string;
  /** True once the in-band channel opened: tracks can be added (and announced). */
  inbandOpened(): boolean;
  /** Tells the remote the labels of streams about to arrive. */
  announce(streams: StreamInfo[]): void;
  /** Tells the remote a stream (or some of its tracks, by mid) stopped. */
  unshared(streamId: string, mids: string[]): void;
  /** The set of video senders changed (added, removed, disposed): the uplink budget is re-divided. */
  videoChanged(): void;
  error(error: PeerixError): void;
}

interface LocalShare {
  entry: ShareEntry;
  senders: RTCRtpSender[];
  /** The uplink budget's parameters for this share's video senders. */
  budget?: SenderParameters;
  /** What the remote asked for this share's video. */
  want?: MediaWant;
}

/** A video share sent on this connection, as the uplink budget counts it. */
export interface VideoShare {
  label: string;
  screen: boolean;
}

/** What we share with one remote: shares by label, their senders and sender parameters. */
export class LocalMedia {
  #hooks: LocalMediaHooks;
  #shares = new Map<string, LocalShare>();
  #disposed = false;
  #pending = new Map<RTCRtpSender, { again: boolean }>();

  constructor(hooks: LocalMediaHooks) {
    this.#hooks = hooks;
  }

  has(label: string): boolean {
    return this.#shares.has(label);
  }

  share(entry: ShareEntry): void {
    if (this.#disposed) return;
    const current = this.#shares.get(entry.label);
    if (current) return this.#replace(current, entry);
    const share: LocalShare = { entry, senders: [] };
    this.#shares.set(entry.label, share);
    if (this.#hooks.inbandOpened()) this.#addSenders(share);
  }

  unshare(target: ShareTarget): void {
    const share = findShare(this.#shares, target, (s) => s.entry);
    if (!share) return;
    this.#shares.delete(share.entry.label);
    this.#removeSenders(share, share.senders);
  }

  /** The in-band channel opened: the `Peer`'s live shares and those made meanwhile get their tracks. */
  start(defaults: Iterable<ShareEntry>): void {
    for (const entry of defaults) if (!this.#shares.has(entry.label)) this.share(entry);
    for (const share of this.#shares.values()) if (!share.senders.length) this.#addSenders(share);
  }

  /** A local track that ended (device gone, screen share stopped, `track.stop()`) stops being sent. */
  dropEnded(): void {
    for (const share of [...this.#shares.values()]) {
      const ended = share.senders.filter((s) => s.track?.readyState === 'ended');
      if (ended.length) this.#removeSenders(share, ended);
      if (!share.senders.length && share.entry.stream.getTracks().every((t) => t.readyState === 'ended')) {
        this.#shares.delete(share.entry.label);
      }
    }
  }

  dispose(): void {
    this.#disposed = true;
    this.#hooks.videoChanged();
  }

  /** The shares with a video sender on this connection (none once disposed). */
  videoShares(): VideoShare[] {
    if (this.#disposed) return [];
    const out: VideoShare[] = [];
    for (const share of this.#shares.values()) {
      const track = share.senders.map((s) => s.track).find((t) => t?.kind === 'video');
      if (track) out.push({ label: share.entry.label, screen: isScreen(track, share.entry.label) });
    }
    return out;
  }

  /** The uplink budget's parameters for the video of share `label`. */
  setBudget(label: string, parameters: SenderParameters): void {
    const share = this.#shares.get(label);
    if (!share || sameParameters(share.budget, parameters)) return;
    share.budget = parameters;
    this.#applyVideo(share);
  }

  /** The remote asked for less (or again all) of share `label`'s video. */
  requested(label: string, want: MediaWant): void {
    const share = this.#shares.get(label);
    if (!share) {
      this.#hooks.error(new PeerixError('ERR_UNEXPECTED', `a request for "${label}", which is not shared with this peer`, { peerId: this.#hooks.peerId }));
      return;
    }
    debug('request from', this.#hooks.peerId.slice(0, 8), 'for', label, want);
    share.want = want;
    this.#applyVideo(share);
  }

  /** The label of the share whose sender has transceiver `mid`. */
  labelOfMid(mid: string): string | undefined {
    const sender = this.#hooks.connection.getTransceivers().find((t) => t.mid === mid)?.sender;
    for (const share of this.#shares.values()) if (sender && share.senders.includes(sender)) return share.entry.label;
    return undefined;
  }

  #addSenders(share: LocalShare): void {
    const { stream, label } = share.entry;
    const tracks = liveTracks(stream);
    if (!tracks.length) return;
    this.#hooks.announce([{ id: stream.id, label, tracks: tracks.map((t) => t.id) }]);
    for (const track of tracks) {
      try {
        this.#addSender(share, track);
      } catch (error) {
        this.#hooks.error(toPeerixError(error, 'ERR_MEDIA', `could not share ${track.kind} track "${label}"`, this.#hooks.peerId));
      }
    }
  }

  #addSender(share: LocalShare, track: MediaStreamTrack): void {
    const sender = this.#hooks.connection.addTrack(track, share.entry.stream);
    share.senders.push(sender);
    this.#apply(sender, share);
    if (track.kind === 'video') this.#hooks.videoChanged();
  }

  /** Same label, new stream: swap tracks in place where kinds match (no renegotiation). */
  #replace(share: LocalShare, entry: ShareEntry): void {
    share.entry = entry;
    if (!this.#hooks.inbandOpened()) return;
    const unused = [...share.senders];
    const added: MediaStreamTrack[] = [];
    const tracks = liveTracks(entry.stream);
    this.#hooks.announce([{ id: entry.stream.id, label: entry.label, tracks: tracks.map((t) => t.id) }]);
    for (const track of tracks) {
      const index = unused.findIndex((s) => this.#kindOf(s) === track.kind);
      if (index >= 0) {
        const [sender] = unused.splice(index, 1);
        sender!.replaceTrack(track).catch((error: unknown) => this.#hooks.error(toPeerixError(error, 'ERR_MEDIA', 'replaceTrack failed', this.#hooks.peerId)));
        this.#apply(sender!, share);
      } else {
        added.push(track);
      }
    }
    for (const track of added) this.#addSender(share, track);
    if (unused.length) this.#removeSenders(share, unused);
  }

  /** A sender's kind, even while it has no track (its transceiver's receiver always has one). */
  #kindOf(sender: RTCRtpSender): string | undefined {
    return sender.track?.kind ?? this.#transceiverOf(sender)?.receiver.track.kind;
  }

  #transceiverOf(sender: RTCRtpSender): RTCRtpTransceiver | undefined {
    return this.#hooks.connection.getTransceivers().find((t) => t.sender === sender);
  }

  #removeSenders(share: LocalShare, senders: RTCRtpSender[]): void {
    const pc = this.#hooks.connection;
    const mids = senders.map((s) => this.#transceiverOf(s)?.mid).filter((mid): mid is string => typeof mid === 'string');
    this.#hooks.unshared(share.entry.stream.id, mids);
    for (const sender of senders) {
      try {
        if (pc.signalingState !== 'closed') pc.removeTrack(sender);
      } catch (error) {
        this.#hooks.error(toPeerixError(error, 'ERR_MEDIA', 'could not stop sharing a track', this.#hooks.peerId));
      }
    }
    share.senders = share.senders.filter((s) => !senders.includes(s));
    this.#hooks.videoChanged();
  }

  #applyVideo(share: LocalShare): void {
    for (const sender of share.senders) if (this.#kindOf(sender) === 'video') this.#apply(sender, share);
  }

  /**
   * Sets a sender's parameters to what its share wants now. One `setParameters` at a
   * time per sender; changes meanwhile coalesce into one more, so a flood of requests
   * costs at most two calls.
   */
  #apply(sender: RTCRtpSender, share: LocalShare): void {
    const pending = this.#pending.get(sender);
    if (pending) {
      pending.again = true;
      return;
    }
    const state = { again: true };
    this.#pending.set(sender, state);
    void (async () => {
      while (state.again && !this.#disposed) {
        state.again = false;
        await this.#setParameters(sender, share);
      }
      this.#pending.delete(sender);
    })();
  }

  async #setParameters(sender: RTCRtpSender, share: LocalShare): Promise<void> {
    const video = this.#kindOf(sender) === 'video';
    const { entry } = share;
    const wanted = video ? combineParameters(entry.videoParameters, share.budget, wantParameters(share.want, sender.track?.getSettings().height)) : entry.audioParameters;
    if (!wanted || (video && !entry.videoParameters && !share.budget && !share.want)) return;
    // A negotiation finishing between getParameters() and setParameters() (Chromium caches
    // the former within a task) makes the latter refuse "modified RTCP parameters": read again.
    for (let attempt = 0; ; attempt++) {
      try {
        if (this.#disposed || !share.senders.includes(sender) || this.#hooks.connection.signalingState === 'closed') return;
        await sender.setParameters(writeEncodings(sender.getParameters(), wanted, video));
        debug('parameters towards', this.#hooks.peerId.slice(0, 8), wanted);
        return;
      } catch (error) {
        if (attempt < 3 && (error as { name?: string })?.name === 'InvalidModificationError') {
          await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
          continue;
        }
        this.#hooks.error(toPeerixError(error, 'ERR_MEDIA', 'setParameters failed', this.#hooks.peerId));
        return;
      }
    }
  }
}

/** A screen share: a display-capture track, a track hinted for detail or text, or the label `screen`. */
function isScreen(track: MediaStreamTrack, label: string): boolean {
  const settings = track.getSettings() as MediaTrackSettings & { displaySurface?: string };
  return label === 'screen' || settings.displaySurface !== undefined || track.contentHint === 'detail' || track.contentHint === 'text';
}

function sameParameters(a: SenderParameters | undefined, b: SenderParameters): boolean {
  return !!a && JSON.stringify(a) === JSON.stringify(b);
}
