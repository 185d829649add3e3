import { toPeerixError, type PeerixError } from '../errors.js';
import type { StreamInfo } from '../signaling/messages.js';
import { findShare, liveTracks, type ShareEntry, type ShareTarget } from '../shares.js';

export interface LocalMediaHooks {
  readonly connection: RTCPeerConnection;
  readonly peerId: string;
  /** True once the in-band channel opened: tracks can be added (and announced). */
  inbandOpened(): boolean;
  /** Tells the remote the labels of streams about to arrive. */
  announce(streams: StreamInfo[]): void;
  /** Tells the remote a stream (or some of its tracks, by mid) stopped. */
  unshared(streamId: string, mids: string[]): void;
  error(error: PeerixError): void;
}

interface LocalShare {
  entry: ShareEntry;
  senders: RTCRtpSender[];
}

/** What we share with one remote: shares by label, their senders and sender parameters. */
export class LocalMedia {
  #hooks: LocalMediaHooks;
  #shares = new Map<string, LocalShare>();
  #disposed = false;

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
    void this.#applyParameters(sender, share.entry);
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
        void this.#applyParameters(sender!, entry);
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
      this.#hooks.error(toPeerixError(error, 'ERR_MEDIA', 'setParameters failed', this.#hooks.peerId));
    }
  }
}
