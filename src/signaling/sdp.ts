/**
 * Compact session descriptions. The first offer and answer of a pair carry
 * only the data-channel m-line, so everything in them except a handful of
 * values is boilerplate; `compactDescription` keeps those values and
 * `expandDescription` rebuilds a minimal SDP that Chromium and Firefox both
 * accept. Anything that does not fit the template exactly travels as full
 * text (`sdp`), so compaction can never lose meaning.
 */
import { PeerixError } from '../errors.js';
import { fullTextDescription } from './messages.js';
import type { CompactCandidate, CompactDescription } from './messages.js';
import { CANDIDATE, DESCRIPTION, isEnumValue, SdpType, Setup, validMessage } from './schema.js';

const ICE_CHARS = /^[A-Za-z0-9+/]+$/;
const DECIMAL = /^\d+$/;
const M_LINE = /^m=application \d+ UDP\/DTLS\/SCTP webrtc-datachannel$/;
const FINGERPRINT_HEX = /^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){31}$/;

function uint(text: string | undefined, max: number): number | null {
  if (text === undefined || !DECIMAL.test(text) || text.length > 16) return null;
  const n = Number(text);
  return n <= max ? n : null;
}

/** A decimal for the schema to check: NaN (invalid) when the text is not one. */
function number(text: string): number {
  return DECIMAL.test(text) && text.length <= 16 ? Number(text) : NaN;
}

/**
 * Parses the text of an ICE candidate (`candidate:…`, with or without a
 * leading `a=`) into compact form; extension attributes (generation, ufrag,
 * network-id…) are dropped. Returns null when the line is not a candidate
 * Peerix can represent exactly.
 */
/**
 * The `o=` line's session id and version ("id version"), or undefined: the same pair means
 * the same description of the same connection (every new one raises the version; candidates
 * gathered later do not).
 */
export function sdpOrigin(sdp: string | undefined): string | undefined {
  const origin = /^o=\S+ (\d+) (\d+) /m.exec(sdp ?? '');
  return origin ? `${origin[1]} ${origin[2]}` : undefined;
}

export function parseCandidate(line: string): CompactCandidate | null {
  if (typeof line !== 'string') return null;
  let text = line.trim();
  if (text.startsWith('a=')) text = text.slice(2);
  if (!text.startsWith('candidate:')) return null;
  const parts = text.slice(10).split(' ');
  if (parts.length < 8 || parts[6] !== 'typ') return null;
  const [foundation, component, protocol, priority, address, port, , type] = parts as [
    string, string, string, string, string, string, string, string,
  ];
  // Strings go in as they are: the schema check below refuses anything that is not a valid value.
  const c: Record<string, unknown> = {
    foundation,
    component: number(component),
    protocol: protocol.toLowerCase(),
    priority: number(priority),
    address,
    port: number(port),
    type,
  };
  for (let i = 8; i + 1 < parts.length; i += 2) {
    const value = parts[i + 1]!;
    switch (parts[i]) {
      case 'raddr':
        c.relatedAddress = value;
        break;
      case 'rport':
        c.relatedPort = number(value);
        break;
      case 'tcptype':
        c.tcpType = value;
        break;
      default:
      // Extensions are not needed to connect.
    }
  }
  return isCandidate(c) ? c : null;
}

/** The one candidate check (the wire schema's): fields, ranges, enums and address syntax. */
function isCandidate(c: object): c is CompactCandidate {
  return validMessage(CANDIDATE, c);
}

/** Formats a compact candidate as `candidate:…` text (no `a=`). Throws ERR_INVALID_ARGUMENT on invalid fields. */
export function formatCandidate(c: CompactCandidate): string {
  if (!isCandidate(c)) throw new PeerixError('ERR_INVALID_ARGUMENT', 'invalid ICE candidate');
  let text = `candidate:${c.foundation} ${c.component} ${c.protocol} ${c.priority} ${c.address} ${c.port} typ ${c.type}`;
  if (c.relatedAddress !== undefined) text += ` raddr ${c.relatedAddress}`;
  if (c.relatedPort !== undefined) text += ` rport ${c.relatedPort}`;
  if (c.tcpType !== undefined) text += ` tcptype ${c.tcpType}`;
  return text;
}

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(i * 3, i * 3 + 2), 16);
  return out;
}

function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':');
}

/** Tries the template; null when the SDP does not fit it exactly. */
function compactOrNull(type: CompactDescription['type'], sdp: string): CompactDescription | null {
  const lines = sdp.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  if (lines[0] !== 'v=0') return null;
  let sessionId: string | undefined;
  let sessionVersion: number | undefined;
  let inMedia = false;
  const single = new Map<string, string>();
  const fingerprints: string[] = [];
  const candidates: CompactCandidate[] = [];
  let endOfCandidates = false;
  const once = (key: string, value: string): boolean => {
    if (single.has(key)) return false;
    single.set(key, value);
    return true;
  };
  for (const line of lines.slice(1)) {
    if (line.startsWith('o=')) {
      const o = line.slice(2).split(' ');
      if (inMedia || o.length !== 6 || o[3] !== 'IN' || sessionId !== undefined) return null;
      if (!DECIMAL.test(o[1]!) || o[1]!.length > 20) return null;
      const version = uint(o[2], Number.MAX_SAFE_INTEGER);
      if (version === null) return null;
      sessionId = o[1]!;
      sessionVersion = version;
    } else if (line.startsWith('s=') || line.startsWith('c=IN ')) {
      // Boilerplate: the name, and the connection address (candidates carry the real ones).
    } else if (line === 't=0 0' || line === 'a=extmap-allow-mixed' || line === 'a=sendrecv' || line === 'a=ice-options:trickle') {
      // Boilerplate.
    } else if (line === 'a=group:BUNDLE 0') {
      if (inMedia) return null;
    } else if (line.startsWith('a=msid-semantic:')) {
      // No media streams on a data-only description.
    } else if (line.startsWith('m=')) {
      if (inMedia || !M_LINE.test(line)) return null;
      inMedia = true;
    } else if (line.startsWith('a=candidate:')) {
      if (!inMedia) return null;
      const c = parseCandidate(line);
      if (!c || candidates.length >= 64) return null;
      candidates.push(c);
    } else if (line === 'a=end-of-candidates') {
      endOfCandidates = true;
    } else if (line.startsWith('a=fingerprint:')) {
      fingerprints.push(line.slice(14));
    } else if (line === 'a=mid:0') {
      if (!inMedia) return null;
    } else {
      const colon = line.indexOf(':');
      const key = colon > 0 ? line.slice(0, colon) : line;
      if (!['a=ice-ufrag', 'a=ice-pwd', 'a=setup', 'a=sctp-port', 'a=max-message-size'].includes(key)) return null;
      if (!once(key, line.slice(colon + 1))) return null;
    }
  }
  if (!inMedia || sessionId === undefined || sessionVersion === undefined) return null;
  const sha256 = fingerprints.map((f) => f.split(' ')).filter((f) => f[0]?.toLowerCase() === 'sha-256');
  if (sha256.length !== 1 || sha256[0]!.length !== 2 || !FINGERPRINT_HEX.test(sha256[0]![1]!)) return null;
  const ufrag = single.get('a=ice-ufrag');
  const pwd = single.get('a=ice-pwd');
  const setup = single.get('a=setup');
  const sctpPort = uint(single.get('a=sctp-port'), 0xffff);
  const maxMessageSizeText = single.get('a=max-message-size');
  // Absent means the RFC 8841 default of 64 KiB.
  const maxMessageSize = maxMessageSizeText === undefined ? 65536 : uint(maxMessageSizeText, Number.MAX_SAFE_INTEGER);
  if (!ufrag || ufrag.length < 4 || ufrag.length > 256 || !ICE_CHARS.test(ufrag)) return null;
  if (!pwd || pwd.length < 22 || pwd.length > 256 || !ICE_CHARS.test(pwd)) return null;
  if (!isEnumValue(Setup, setup)) return null;
  if (sctpPort === null || maxMessageSize === null) return null;
  const compact: CompactDescription = {
    type,
    ufrag,
    pwd,
    fingerprint: hexToBytes(sha256[0]![1]!),
    setup,
    sessionId,
    sessionVersion,
    sctpPort,
    maxMessageSize,
    candidates,
  };
  if (endOfCandidates) compact.endOfCandidates = true;
  return compact;
}

/**
 * Compact form of an offer or answer; descriptions that are not a single
 * data-channel m-line (or use anything the template cannot rebuild) keep
 * their full text in `sdp`.
 */
export function compactDescription(desc: { type: string; sdp?: string }): CompactDescription {
  const { type, sdp } = desc;
  if (!isEnumValue(SdpType, type)) throw new PeerixError('ERR_INVALID_ARGUMENT', `cannot send a description of type ${type}`);
  if (typeof sdp !== 'string') throw new PeerixError('ERR_INVALID_ARGUMENT', 'description has no SDP');
  return compactOrNull(type, sdp) ?? fullTextDescription(type, sdp);
}

/** Rebuilds an RTCSessionDescriptionInit; throws ERR_DECODE when the compact fields are not valid. */
export function expandDescription(c: CompactDescription): RTCSessionDescriptionInit {
  if (!isEnumValue(SdpType, c.type)) throw new PeerixError('ERR_DECODE', 'invalid description type');
  if (c.sdp !== undefined) return { type: c.type, sdp: c.sdp };
  // The schema's checks (types, ranges, candidates), then what the SDP template needs on top.
  const ok = validMessage(DESCRIPTION, c) && ICE_CHARS.test(c.ufrag) && ICE_CHARS.test(c.pwd) && /^[0-9A-Za-z]{1,32}$/.test(c.sessionId);
  if (!ok) throw new PeerixError('ERR_DECODE', 'compact description has invalid fields');
  const lines = [
    'v=0',
    `o=- ${c.sessionId} ${c.sessionVersion} IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'a=msid-semantic: WMS',
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    'c=IN IP4 0.0.0.0',
    ...c.candidates.map((candidate) => 'a=' + formatCandidate(candidate)),
    ...(c.endOfCandidates ? ['a=end-of-candidates'] : []),
    `a=ice-ufrag:${c.ufrag}`,
    `a=ice-pwd:${c.pwd}`,
    'a=ice-options:trickle',
    `a=fingerprint:sha-256 ${bytesToHex(c.fingerprint)}`,
    `a=setup:${c.setup}`,
    'a=mid:0',
    `a=sctp-port:${c.sctpPort}`,
    `a=max-message-size:${c.maxMessageSize}`,
  ];
  return { type: c.type, sdp: lines.join('\r\n') + '\r\n' };
}
