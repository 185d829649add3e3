/**
 * Every signaling message Peerix sends, as plain objects. The codec
 * (`codec.ts`) turns them into protobuf-style bytes; docs/PROTOCOL.md gives
 * the field numbers.
 *
 * Broker messages travel in a sealed envelope (`envelope.ts`); in-band
 * messages travel on the pre-negotiated signaling data channel.
 */

/** Message kind numbers, as they appear on the wire. */
export const Kind = {
  // Broker (discovery and first connection)
  Announce: 1,
  Offer: 2,
  Answer: 3,
  Candidates: 4,
  Bye: 5,
  // In-band (signaling data channel)
  Description: 16,
  Ice: 17,
  ChannelOpen: 18,
  ChannelClose: 19,
  Streams: 20,
  Unshare: 21,
  Ping: 22,
  Pong: 23,
  Leave: 24,
  Negotiate: 25,
} as const;
export type KindName = keyof typeof Kind;
export type KindNumber = (typeof Kind)[KindName];

/** One ICE candidate in compact form (the fields of an SDP `a=candidate` line). */
export interface CompactCandidate {
  foundation: string;
  component: number;
  protocol: 'udp' | 'tcp';
  priority: number;
  /** IPv4, IPv6 or an mDNS host name. */
  address: string;
  port: number;
  type: 'host' | 'srflx' | 'prflx' | 'relay';
  relatedAddress?: string;
  relatedPort?: number;
  tcpType?: 'active' | 'passive' | 'so';
}

/**
 * The first offer or answer of a pair: only the data channel m-line, so it
 * reduces to a few fields; `expandDescription` rebuilds valid SDP from them.
 * Descriptions that do not fit the template travel as full text in `sdp`.
 */
export interface CompactDescription {
  type: 'offer' | 'answer';
  /** Full SDP text, set only when the description could not be compacted. */
  sdp?: string;
  ufrag: string;
  pwd: string;
  /** SHA-256 DTLS fingerprint, 32 bytes. */
  fingerprint: Uint8Array;
  setup: 'actpass' | 'active' | 'passive';
  /** The `o=` line's session id and version, kept so later descriptions match. */
  sessionId: string;
  sessionVersion: number;
  sctpPort: number;
  maxMessageSize: number;
  candidates: CompactCandidate[];
  /** The description carried `a=end-of-candidates` (gathering had finished). */
  endOfCandidates?: boolean;
}

/** Options of a data channel requested in-band (a subset of RTCDataChannelInit). */
export interface ChannelOptions {
  ordered?: boolean;
  maxPacketLifeTime?: number;
  maxRetransmits?: number;
  protocol?: string;
}

/** A full ICE candidate as the browser gives it (in-band, any m-line). */
export interface IceCandidateInit {
  candidate: string;
  sdpMid?: string;
  sdpMLineIndex?: number;
}

/** The label of a shared stream and the ids of its tracks. */
export interface StreamInfo {
  id: string;
  label: string;
  tracks: string[];
}

export type SignalMessage =
  /**
   * A peer is in the room (broadcast on the room namespace). It carries nothing but
   * its envelope header (id, session): what a peer says about itself travels in the
   * pair-authenticated Offer and Answer, so no member can speak for another.
   */
  | { kind: 'Announce' }
  /** First offer to a peer, with the offerer's metadata (JSON text). */
  | { kind: 'Offer'; description: CompactDescription; metadata?: string }
  /** The answer, with the answerer's metadata (JSON text). */
  | { kind: 'Answer'; description: CompactDescription; metadata?: string }
  /** Candidates gathered after the offer or answer left; `end` after the last one. */
  | { kind: 'Candidates'; candidates: CompactCandidate[]; end?: boolean }
  /** Leaving the room: addressed to each peer still in setup (pair-authenticated). */
  | { kind: 'Bye' }
  // In-band:
  | { kind: 'Description'; type: 'offer' | 'answer'; sdp: string }
  | { kind: 'Ice'; candidates: IceCandidateInit[] }
  | { kind: 'ChannelOpen'; label: string; options?: ChannelOptions }
  | { kind: 'ChannelClose'; label: string }
  | { kind: 'Streams'; streams: StreamInfo[] }
  | { kind: 'Unshare'; streamId: string; tracks: string[] }
  | { kind: 'Ping'; time: number }
  | { kind: 'Pong'; time: number }
  | { kind: 'Leave' }
  /**
   * The polite side asks the impolite side to offer (in-band, only the impolite
   * side offers), with how many m-lines of each kind it needs for new tracks.
   */
  | { kind: 'Negotiate'; audio: number; video: number };

export type MessageOf<K extends SignalMessage['kind']> = Extract<SignalMessage, { kind: K }>;
