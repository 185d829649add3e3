import type { PeerEvents, PeerixError, RemotePeer } from '../src/index.js';

/** `detail` of the room's re-dispatched engine events: the engine payload plus its `type`. */
export type EngineDetail<K extends keyof PeerEvents> = PeerEvents[K] & { type: K };

/** Every `connection:*` payload. */
export type ConnectionDetail = EngineDetail<'connection:new' | 'connection:connecting' | 'connection:connected' | 'connection:disconnected' | 'connection:failed' | 'connection:closed'>;

/** `peerix-error` detail. */
export interface ErrorDetail {
  error: PeerixError | Error;
  message: string;
  remote?: RemotePeer;
  /** Set when a driver's client library could not be loaded. */
  packageName?: string;
}

/** `peerix-state-change` detail. */
export interface RoomStateDetail {
  state: string;
}

/** `peerix-media-change` detail (`<peerix-local-media>`). */
export interface MediaChangeDetail {
  stream: MediaStream | null;
  muted: boolean;
  cameraOff: boolean;
}

/** `peerix-media-error` detail (`<peerix-local-media>`, `<peerix-screen-share>`). */
export interface MediaErrorDetail {
  reason: 'denied' | 'no-device' | 'error';
  error: unknown;
}

/** `peerix-chat-message` detail. */
export interface ChatMessageDetail {
  text: string;
  name: string;
  time: Date;
  /** True for messages this page sent. */
  local: boolean;
  remote?: RemotePeer;
}

/** `peerix-unread` detail. */
export interface UnreadDetail {
  count: number;
}

/** `peerix-screen-share` detail. */
export interface ScreenShareDetail {
  sharing: boolean;
  stream: MediaStream | null;
}

/** `peerix-file` detail (`<peerix-file-share>`, `<peerix-chat files>`). */
export interface FileDetail {
  name: string;
  size: number;
  /** The declared MIME type (as the sender's browser reported it; not checked). */
  type: string;
  /** The file: what was sent, or what arrived and passed its SHA-256 check. */
  blob: Blob;
  /** The peer it came from or went to. */
  remote: RemotePeer;
  /** `in`: received; `out`: the recipient confirmed it whole. */
  direction: 'in' | 'out';
  /** The checksum both sides agreed on: hex SHA-256 of the SHA-256 digests of the file's slices (about 1 MiB each), in order. */
  checksum: string;
}

/** `peerix-recording` detail (`<peerix-record-button>`). */
export interface RecordingDetail {
  /** The recording (WebM or MP4, as the browser records). */
  blob: Blob;
  mimeType: string;
  /** Wall-clock length in ms. */
  duration: number;
}

declare global {
  interface HTMLElementEventMap {
    'peerix-connection': CustomEvent<ConnectionDetail>;
    'peerix-channel-new': CustomEvent<EngineDetail<'channel:new'>>;
    'peerix-channel-open': CustomEvent<EngineDetail<'channel:open'>>;
    'peerix-channel-close': CustomEvent<EngineDetail<'channel:close'>>;
    'peerix-channel-message': CustomEvent<EngineDetail<'channel:message'>>;
    'peerix-channel-progress': CustomEvent<EngineDetail<'channel:progress'>>;
    'peerix-channel-error': CustomEvent<EngineDetail<'channel:error'>>;
    'peerix-stream-add': CustomEvent<EngineDetail<'stream:add'>>;
    'peerix-stream-remove': CustomEvent<EngineDetail<'stream:remove'>>;
    'peerix-track-add': CustomEvent<EngineDetail<'track:add'>>;
    'peerix-track-remove': CustomEvent<EngineDetail<'track:remove'>>;
    'peerix-error': CustomEvent<ErrorDetail>;
    'peerix-state-change': CustomEvent<RoomStateDetail>;
    'peerix-media-change': CustomEvent<MediaChangeDetail>;
    'peerix-media-error': CustomEvent<MediaErrorDetail>;
    'peerix-chat-message': CustomEvent<ChatMessageDetail>;
    'peerix-unread': CustomEvent<UnreadDetail>;
    'peerix-screen-share': CustomEvent<ScreenShareDetail>;
    'peerix-file': CustomEvent<FileDetail>;
    'peerix-recording': CustomEvent<RecordingDetail>;
  }
}
