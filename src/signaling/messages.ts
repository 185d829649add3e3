/**
 * Every signaling message Peerix sends, as plain objects: the TypeScript side
 * of the wire schema (`schema.ts`, which holds the field numbers and types; a
 * compile-time check at the end of this file keeps the two in step). The codec
 * (`codec.ts`) turns them into protobuf-style bytes.
 *
 * Broker messages travel in a sealed envelope (`envelope.ts`); in-band
 * messages travel on the pre-negotiated signaling data channel.
 */

import type {
  CandidateType,
  CANDIDATE,
  CHANNEL_OPTIONS,
  DESCRIPTION,
  EnumValue,
  Field,
  ICE_CANDIDATE,
  KindName,
  MESSAGES,
  MessageSpec,
  Protocol,
  SdpType,
  Setup,
  STREAM_INFO,
  TcpType,
} from './schema.js';

export { Kind } from './schema.js';
export type { KindName, KindNumber } from './schema.js';

export type SdpTypeName = EnumValue<typeof SdpType>;

/** One ICE candidate in compact form (the fields of an SDP `a=candidate` line). */
export interface CompactCandidate {
  foundation: string;
  component: number;
  protocol: EnumValue<typeof Protocol>;
  priority: number;
  /** IPv4, IPv6 or an mDNS host name. */
  address: string;
  port: number;
  type: EnumValue<typeof CandidateType>;
  relatedAddress?: string;
  relatedPort?: number;
  tcpType?: EnumValue<typeof TcpType>;
}

/**
 * The first offer or answer of a pair: only the data channel m-line, so it
 * reduces to a few fields; `expandDescription` rebuilds valid SDP from them.
 * Descriptions that do not fit the template travel as full text in `sdp`.
 */
export interface CompactDescription {
  type: SdpTypeName;
  /** Full SDP text, set only when the description could not be compacted. */
  sdp?: string;
  ufrag: string;
  pwd: string;
  /** SHA-256 DTLS fingerprint, 32 bytes. */
  fingerprint: Uint8Array;
  setup: EnumValue<typeof Setup>;
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

/**
 * Which connection of a pair a broker setup message belongs to (src/connection-tags.ts):
 * the sender's connection tag, and the receiver's once the sender knows it.
 */
export interface ConnectionTag {
  from?: number;
  to?: number;
}

export type SignalMessage =
  /**
   * A peer is in the room (broadcast on the room namespace). It carries nothing but
   * its envelope header (id, session): what a peer says about itself travels in the
   * pair-authenticated BrokerOffer and BrokerAnswer, so no member can speak for another.
   */
  | { kind: 'Announce' }
  /** First offer to a peer (or an ICE restart while the path is down), with the offerer's metadata (JSON text). */
  | ({ kind: 'BrokerOffer'; description: CompactDescription; metadata?: string } & ConnectionTag)
  /** The answer, with the answerer's metadata (JSON text). */
  | ({ kind: 'BrokerAnswer'; description: CompactDescription; metadata?: string } & ConnectionTag)
  /** Candidates gathered after the offer or answer left; `end` after the last one. */
  | ({ kind: 'BrokerCandidates'; candidates: CompactCandidate[]; end?: boolean } & ConnectionTag)
  /** Leaving the room: addressed to each peer still in setup (pair-authenticated). */
  | { kind: 'BrokerLeave' }
  // In-band:
  | { kind: 'Description'; type: SdpTypeName; sdp: string }
  | { kind: 'Candidates'; candidates: IceCandidateInit[] }
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
  | { kind: 'Negotiate'; audio: number; video: number; seen?: string }
  /**
   * A receiver asks for less of the stream it knows as `label`, on this connection only:
   * `off` pauses its video, `maxHeight` caps its height; neither lifts the request.
   */
  | { kind: 'MediaRequest'; label: string; off?: boolean; maxHeight?: number };

export type MessageOf<K extends SignalMessage['kind']> = Extract<SignalMessage, { kind: K }>;

/** The shape of a description that travels as full SDP text (the compact fields take their empty values). */
export function fullTextDescription(type: SdpTypeName, sdp: string): CompactDescription {
  return {
    type,
    sdp,
    ufrag: '',
    pwd: '',
    fingerprint: new Uint8Array(0),
    setup: 'actpass',
    sessionId: '',
    sessionVersion: 0,
    sctpPort: 0,
    maxMessageSize: 0,
    candidates: [],
  };
}

// ---------------------------------------------------------------------------
// Compile-time check: every type above has exactly the fields its schema
// declares, optional exactly where the schema's rule lets the field be absent.

type FieldsOf<S> = S extends MessageSpec<infer F> ? F[number] : never;
type Names<S> = FieldsOf<S>['name'];
type OptionalNames<S> = Extract<FieldsOf<S>, Field<string, 'optional' | 'flag' | 'full'>>['name'];
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Matches<T, S> = Same<keyof T, Names<S>> extends true ? Same<OptionalKeys<T>, OptionalNames<S>> : false;
type BodyOf<K extends KindName> = Omit<MessageOf<K>, 'kind'>;

export const schemaMatchesTypes: {
  [K in KindName]: Matches<BodyOf<K>, (typeof MESSAGES)[K]>;
} & {
  candidate: Matches<CompactCandidate, typeof CANDIDATE>;
  description: Matches<CompactDescription, typeof DESCRIPTION>;
  ice: Matches<IceCandidateInit, typeof ICE_CANDIDATE>;
  options: Matches<ChannelOptions, typeof CHANNEL_OPTIONS>;
  stream: Matches<StreamInfo, typeof STREAM_INFO>;
} = {
  Announce: true, BrokerOffer: true, BrokerAnswer: true, BrokerCandidates: true, BrokerLeave: true, Description: true, Candidates: true, ChannelOpen: true,
  ChannelClose: true, Streams: true, Unshare: true, Ping: true, Pong: true, Leave: true, Negotiate: true, MediaRequest: true,
  candidate: true, description: true, ice: true, options: true, stream: true,
};
