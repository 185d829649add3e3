/**
 * Compact session descriptions. The first offer and answer of a pair carry
 * only the data-channel m-line, so everything in them except a handful of
 * values is boilerplate; `compactDescription` keeps those values and
 * `expandDescription` rebuilds a minimal SDP that Chromium and Firefox both
 * accept. Anything that does not fit the template exactly travels as full
 * text (`sdp`), so compaction can never lose meaning.
 */
import { PeerixError } from '../errors.js';
import { fullTextDescription } from './codec.js';
import type { CompactCandidate, CompactDescription } from './messages.js';

const ICE_CHARS = /^[A-Za-z0-9+/]+$/;
const FOUNDATION = /^[A-Za-z0-9+/]{1,32}$/;
// IPv4, IPv6 (hex, no zone) or a host name such as an mDNS `<uuid>.local`.
const ADDRESS = /^[A-Za-z0-9._:-]{1,255}$/;
const DECIMAL = /^\d+$/;
const M_LINE = /^m=application \d+ UDP\/DTLS\/SCTP webrtc-datachannel$/;
const FINGERPRINT_HEX = /^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){31}$/;

const PROTOCOLS = new Set(['udp', 'tcp']);
const TYPES = new Set(['host', 'srflx', 'prflx', 'relay']);
const TCP_TYPES = new Set(['active', 'passive', 'so']);

function uint(text: string | undefined, max: number): number | null {
  if (text === undefined || !DECIMAL.test(text) || text.length > 16) return null;
  const n = Number(text);
  return n <= max ? n : null;
}

/**
 * Parses the text of an ICE candidate (`candidate:…`, with or without a
 * leading `a=`) into compact form; extension attributes (generation, ufrag,
 * network-id…) are dropped. Returns null when the line is not a candidate
 * Peerix can represent exactly.
 */
export function parseCandidate(line: string): CompactCandidate | null {
  if (typeof line !== 'string') return null;
  let text = line.trim();
  if (text.startsWith('a=')) text = text.slice(2);
  if (!text.startsWith('candidate:')) return null;
  const parts = text.slice(10).split(' ');
  if (parts.length < 8 || parts[6] !== 'typ') return null;
  const [foundation, componentText, protocolText, priorityText, address, portText, , type] = parts as [
    string, string, string, string, string, string, string, string,
  ];
  const component = uint(componentText, 256);
  const protocol = protocolText.toLowerCase();
  const priority = uint(priorityText, 0xffffffff);
  const port = uint(portText, 0xffff);
  if (!FOUNDATION.test(foundation) || !component || !PROTOCOLS.has(protocol) || priority === null) return null;
  if (!ADDRESS.test(address) || port === null || !TYPES.has(type)) return null;
  const c: CompactCandidate = {
    foundation,
    component,
    protocol: protocol as CompactCandidate['protocol'],
    priority,
    address,
    port,
    type: type as CompactCandidate['type'],
  };
  for (let i = 8; i + 1 < parts.length; i += 2) {
    const value = parts[i + 1]!;
    switch (parts[i]) {
      case 'raddr':
        if (!ADDRESS.test(value)) return null;
        c.relatedAddress = value;
        break;
      case 'rport': {
        const relatedPort = uint(value, 0xffff);
        if (relatedPort === null) return null;
        c.relatedPort = relatedPort;
        break;
      }
      case 'tcptype':
        if (!TCP_TYPES.has(value)) return null;
        c.tcpType = value as CompactCandidate['tcpType'];
        break;
      default:
      // Extensions are not needed to connect.
    }
  }
  return c;
}

function validCandidate(c: CompactCandidate): boolean {
  return (
    FOUNDATION.test(c.foundation) &&
    Number.isInteger(c.component) && c.component >= 1 && c.component <= 256 &&
    PROTOCOLS.has(c.protocol) &&
    Number.isInteger(c.priority) && c.priority >= 0 && c.priority <= 0xffffffff &&
    ADDRESS.test(c.address) &&
    Number.isInteger(c.port) && c.port >= 0 && c.port <= 0xffff &&
    TYPES.has(c.type) &&
    (c.relatedAddress === undefined || ADDRESS.test(c.relatedAddress)) &&
    (c.relatedPort === undefined || (Number.isInteger(c.relatedPort) && c.relatedPort >= 0 && c.relatedPort <= 0xffff)) &&
    (c.tcpType === undefined || TCP_TYPES.has(c.tcpType))
  );
}

/** Formats a compact candidate as `candidate:…` text (no `a=`). Throws ERR_INVALID_ARGUMENT on invalid fields. */
export function formatCandidate(c: CompactCandidate): string {
  if (!validCandidate(c)) throw new PeerixError('ERR_INVALID_ARGUMENT', 'invalid ICE candidate');
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
  if (setup !== 'actpass' && setup !== 'active' && setup !== 'passive') return null;
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
  if (type !== 'offer' && type !== 'answer') throw new PeerixError('ERR_INVALID_ARGUMENT', `cannot send a description of type ${type}`);
  if (typeof sdp !== 'string') throw new PeerixError('ERR_INVALID_ARGUMENT', 'description has no SDP');
  return compactOrNull(type, sdp) ?? fullTextDescription(type, sdp);
}

/** Rebuilds an RTCSessionDescriptionInit; throws ERR_DECODE when the compact fields are not valid. */
export function expandDescription(c: CompactDescription): RTCSessionDescriptionInit {
  if (c.type !== 'offer' && c.type !== 'answer') throw new PeerixError('ERR_DECODE', 'invalid description type');
  if (c.sdp !== undefined) return { type: c.type, sdp: c.sdp };
  const ok =
    ICE_CHARS.test(c.ufrag) && ICE_CHARS.test(c.pwd) &&
    c.fingerprint instanceof Uint8Array && c.fingerprint.length === 32 &&
    ['actpass', 'active', 'passive'].includes(c.setup) &&
    /^[0-9A-Za-z]{1,32}$/.test(c.sessionId) &&
    Number.isSafeInteger(c.sessionVersion) && c.sessionVersion >= 0 &&
    Number.isInteger(c.sctpPort) && c.sctpPort >= 0 && c.sctpPort <= 0xffff &&
    Number.isSafeInteger(c.maxMessageSize) && c.maxMessageSize >= 0 &&
    Array.isArray(c.candidates) && c.candidates.every(validCandidate);
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
