import { PeerixError } from '../errors.js';
import type { EmitPart } from '../events.js';
import type { StreamInfo } from '../signaling/messages.js';

export interface RemoteMediaHooks {
  readonly peerId: string;
  /** Builds a stream for a track that came without one (Node implementations); may be missing. */
  readonly MediaStream: typeof MediaStream | undefined;
  readonly maxRemoteStreams: number;
  emit: EmitPart;
  error(error: PeerixError): void;
}

interface RemoteTrack {
  track: MediaStreamTrack;
  stream: MediaStream;
  transceiver: RTCRtpTransceiver;
}

/** What one remote shares with us: its streams' labels, tracks and streams, and their removal. */
export class RemoteMedia {
  #hooks: RemoteMediaHooks;
  /** Labels the remote announced, by stream id (bounded). */
  #labels = new Map<string, string>();
  #streams = new Map<string, { stream: MediaStream; label: string }>();
  #tracks = new Map<MediaStreamTrack, RemoteTrack>();

  constructor(hooks: RemoteMediaHooks) {
    this.#hooks = hooks;
  }

  get streams(): MediaStream[] {
    return [...this.#streams.values()].map((s) => s.stream);
  }

  labelOf(stream: MediaStream): string | undefined {
    return this.#streams.get(stream.id)?.label;
  }

  /** `Streams`: labels of streams about to arrive. */
  announced(streams: StreamInfo[]): void {
    const max = this.#hooks.maxRemoteStreams;
    for (const info of streams) {
      this.#labels.delete(info.id);
      this.#labels.set(info.id, info.label);
    }
    // Labels of streams long gone go first; past the cap, the remote is told off.
    if (this.#labels.size > max) {
      this.#hooks.error(new PeerixError('ERR_LIMIT', `${this.#hooks.peerId} announced more than ${max} streams`, { peerId: this.#hooks.peerId }));
      for (const id of this.#labels.keys()) {
        if (this.#labels.size <= max) break;
        if (!this.#streams.has(id)) this.#labels.delete(id);
      }
    }
  }

  /** `track`: a remote track arrived. */
  track(event: RTCTrackEvent): void {
    const { track, transceiver } = event;
    const Stream = this.#hooks.MediaStream;
    const stream = event.streams[0] ?? (Stream ? new Stream([track]) : undefined);
    if (!stream) return this.#hooks.error(new PeerixError('ERR_MEDIA', 'a track arrived without a stream and the WebRTC implementation has no MediaStream', { peerId: this.#hooks.peerId }));
    let known = this.#streams.get(stream.id);
    if (!known) {
      known = { stream, label: this.#labels.get(stream.id) ?? stream.id };
      this.#streams.set(stream.id, known);
      if (!stream.getTracks().includes(track)) stream.addTrack(track);
      this.#hooks.emit('stream:add', { stream, label: known.label });
    } else if (!stream.getTracks().includes(track)) {
      stream.addTrack(track);
    }
    if (this.#tracks.has(track)) return;
    this.#tracks.set(track, { track, stream, transceiver });
    this.#hooks.emit('track:add', { stream, track, label: known.label });
  }

  /** `Unshare`: the remote stopped a stream, or the tracks of it with these mids. */
  unshared(streamId: string, mids: string[]): void {
    for (const entry of [...this.#tracks.values()]) {
      if (entry.stream.id !== streamId) continue;
      if (mids.length && !mids.includes(entry.transceiver.mid ?? '')) continue;
      this.#remove(entry.track);
    }
  }

  /** After a negotiation round: tracks whose transceiver no longer receives are gone. */
  reconcile(): void {
    for (const entry of [...this.#tracks.values()]) {
      const direction = entry.transceiver.currentDirection;
      if (direction === 'inactive' || direction === 'sendonly' || direction === 'stopped') this.#remove(entry.track);
    }
  }

  /** Every remote track and stream is removed (with their events). */
  dispose(): void {
    for (const track of [...this.#tracks.keys()]) this.#remove(track);
  }

  #remove(track: MediaStreamTrack): void {
    const entry = this.#tracks.get(track);
    if (!entry) return;
    this.#tracks.delete(track);
    const { stream } = entry;
    const known = this.#streams.get(stream.id);
    const label = known?.label ?? stream.id;
    if (stream.getTracks().includes(track)) stream.removeTrack(track);
    this.#hooks.emit('track:remove', { stream, track, label });
    const stillUsed = [...this.#tracks.values()].some((t) => t.stream === stream);
    if (!stillUsed && known) {
      this.#streams.delete(stream.id);
      this.#hooks.emit('stream:remove', { stream, label });
    }
  }
}
