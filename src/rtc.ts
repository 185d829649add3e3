/**
 * Where the engine gets its WebRTC classes: `PeerOptions.rtc` when given (Node.js,
 * with an implementation such as `@roamhq/wrtc`), else the global scope (browsers).
 * Nothing here is imported at run time: the user installs the implementation.
 */
import { PeerixError } from './errors.js';

/** The WebRTC classes the engine uses. `MediaStream` only matters for received media. */
export interface RtcImplementation {
  RTCPeerConnection: typeof RTCPeerConnection;
  MediaStream?: typeof MediaStream;
}

/** What `resolveRtc` hands the engine. */
export interface Rtc {
  RTCPeerConnection: typeof RTCPeerConnection;
  /** Wraps a received track that came without a stream; absent without media support. */
  MediaStream: typeof MediaStream | undefined;
}

/** Resolves the implementation once per `Peer`, failing clearly when there is none. */
export function resolveRtc(rtc?: RtcImplementation): Rtc {
  if (rtc !== undefined && (typeof rtc !== 'object' || rtc === null || typeof rtc.RTCPeerConnection !== 'function')) {
    throw new PeerixError('ERR_INVALID_ARGUMENT', 'options.rtc must be an object with an RTCPeerConnection class (for example the module of @roamhq/wrtc)');
  }
  const scope = globalThis as Partial<RtcImplementation>;
  const Native = rtc?.RTCPeerConnection ?? scope.RTCPeerConnection;
  if (typeof Native !== 'function') {
    throw new PeerixError(
      'ERR_INVALID_ARGUMENT',
      'no RTCPeerConnection in this environment: in Node.js pass a WebRTC implementation, e.g. new Peer({ rtc: await import("@roamhq/wrtc") })',
    );
  }
  return {
    // Browsers get their own class untouched; a passed-in one is adapted to what the engine expects.
    RTCPeerConnection: rtc ? adapt(Native) : Native,
    MediaStream: rtc ? rtc.MediaStream : scope.MediaStream,
  };
}

/** A MediaStream by shape, so streams of a Node implementation count as streams too. */
export function isMediaStream(value: unknown): value is MediaStream {
  const v = value as Partial<MediaStream> | null;
  return !!v && typeof v === 'object' && typeof v.id === 'string' && typeof v.getTracks === 'function';
}

const adapted = new WeakMap<typeof RTCPeerConnection, typeof RTCPeerConnection>();

/**
 * Node implementations lag the browsers in one place the engine relies on:
 * `setLocalDescription()` without an argument (implicit offer/answer) throws
 * in @roamhq/wrtc. The subclass makes the description itself when none is given.
 */
function adapt(Native: typeof RTCPeerConnection): typeof RTCPeerConnection {
  let Adapted = adapted.get(Native);
  if (Adapted) return Adapted;
  Adapted = class extends Native {
    override async setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void> {
      if (description?.type) return super.setLocalDescription(description);
      const state = this.signalingState;
      const made = state === 'have-remote-offer' || state === 'have-local-pranswer' ? await this.createAnswer() : await this.createOffer();
      return super.setLocalDescription(made);
    }
  };
  adapted.set(Native, Adapted);
  return Adapted;
}

/** Binary data-channel payloads as ArrayBuffer: some implementations hand out Node Buffers. */
export function toArrayBuffer(data: unknown): ArrayBuffer | undefined {
  if (data instanceof ArrayBuffer) return data;
  if (ArrayBuffer.isView(data)) return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  return undefined;
}
