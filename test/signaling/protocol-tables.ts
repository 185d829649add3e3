/**
 * Renders docs/PROTOCOL.md's message tables from the wire schema. The wire
 * facts (numbers, names, types, ranges, rules) come from `schema.ts`; only the
 * prose notes live here. `node scripts/protocol-tables.mjs` writes the tables
 * into the doc; protocol-doc.test.ts fails when the doc and schema differ.
 */
import { ADDRESS, CANDIDATE, CandidateType, CHANNEL_OPTIONS, DESCRIPTION, ICE_CANDIDATE, Kind, MAX_BODY_BYTES, MAX_ITEMS, MAX_STRING_BYTES, MESSAGES, Protocol, SdpType, Setup, STREAM_INFO, TcpType } from '../../src/signaling/schema.js';
import type { EnumType, Field, FieldType, KindName, MessageSpec } from '../../src/signaling/schema.js';

export const BEGIN = '<!-- schema:begin — generated from src/signaling/schema.ts by `node scripts/protocol-tables.mjs`; do not edit by hand -->';
export const END = '<!-- schema:end -->';

/** Prose the schema does not hold, keyed by `Message.field` (or the message name alone). */
const NOTES: Record<string, string> = {
  Announce: 'field 1 is reserved: version 1 put unauthenticated metadata there, decoders skip it',
  'BrokerOffer.metadata': "the offerer's, JSON text",
  'BrokerAnswer.metadata': "the answerer's, JSON text",
  'BrokerCandidates.end': 'no more candidates follow',
  ...Object.fromEntries(
    ['BrokerOffer', 'BrokerAnswer', 'BrokerCandidates'].flatMap((kind) => [
      [`${kind}.from`, "the sender's connection tag (see Connection tags)"],
      [`${kind}.to`, "the receiver's connection tag, once the sender knows it"],
    ]),
  ),
  'Description.sdp': 'full SDP text',
  'Ping.time': 'integer milliseconds; encoders round',
  'Pong.time': "the `Ping`'s time, echoed",
  'Negotiate.seen': "`<session id> <version>` of the `o=` line of the asker's remote description, in decimals",
  'CompactDescription.sdp': 'full SDP text; when present, the description is this text and fields 3–15 are neither written nor required',
  'CompactDescription.fingerprint': 'the SHA-256 DTLS certificate fingerprint',
  'CompactDescription.sessionId': '`o=` session id',
  'CompactDescription.sessionVersion': '`o=` session version',
  'CompactDescription.endOfCandidates': 'the SDP had `a=end-of-candidates`',
  'IceCandidate.candidate': '`""` is the end-of-candidates marker',
  'StreamInfo.tracks': 'track ids',
};

const number = (n: number): string => {
  if (n === 0xffffffff) return '2^32 − 1';
  if (n === Number.MAX_SAFE_INTEGER) return '2^53 − 1';
  return n.toLocaleString('en').replace(/,/g, ' ');
};

function typeText(t: FieldType, alt: boolean): string {
  switch (t.type) {
    case 'uint':
      if (t.min > 0) return `uint ${number(t.min)}–${number(t.max)}`;
      return t.max === Number.MAX_SAFE_INTEGER ? 'uint' : `uint ≤ ${number(t.max)}`;
    case 'time':
      return 'uint';
    case 'bool':
      return 'bool';
    case 'enum':
      return `enum ${t.name}`;
    case 'string':
      return t.max === MAX_STRING_BYTES ? 'string' : `string ≤ ${number(t.max)} bytes`;
    case 'bytes':
      return `bytes (exactly ${t.size})`;
    case 'decimal':
      if (!alt) return `${t.bits === 64 ? 'uint64' : 'uint ≤ 2^32 − 1'} (a canonical decimal)`;
      return `string ≤ ${number(t.max)} bytes${t.pattern ? `, matching \`${t.pattern.source}\`` : ''}`;
    case 'address':
      return alt ? `string, matching \`${ADDRESS.source}\`` : 'bytes (4: IPv4, 16: IPv6)';
    case 'hex':
      return alt ? `bytes ≤ ${number(t.max / 2)}` : `string ≤ ${number(t.max)} bytes`;
    case 'message':
      return t.of.name;
  }
}

function ruleText(f: Field): string {
  switch (f.rule) {
    case 'required':
      return '**required**';
    case 'optional':
      return '*opt*';
    case 'flag':
      return 'default false, written only when true';
    case 'always':
      return `default ${JSON.stringify(f.value)}, always written`;
    case 'default':
      return `default ${JSON.stringify(f.value)}`;
    case 'repeated':
      return `repeated, ≤ ${MAX_ITEMS}`;
    case 'full':
      return '*opt*';
  }
}

/** The rows of one message: a field with a text alternative is two rows (n and n + 1). */
function rows(spec: MessageSpec): string[][] {
  const out: string[][] = [];
  for (const f of spec.fields) {
    const note = NOTES[`${spec.name}.${f.name}`];
    const altN = f.of.type === 'hex' ? f.of.bytesField : f.n + 1;
    const rule = f.alt ? `${ruleText(f)} (${f.n} or ${altN})` : ruleText(f);
    out.push([String(f.n), `\`${f.name}\``, typeText(f.of, false), rule, note ?? '']);
    if (f.of.type === 'hex') out.push([String(altN), `\`${f.alt}\``, typeText(f.of, true), rule, `instead of ${f.n}, when the value is lowercase hex of even length (the bytes it spells)`]);
    else if (f.alt) out.push([String(altN), `\`${f.alt}\``, typeText(f.of, true), rule, `instead of ${f.n}, when the value has no ${f.of.type === 'address' ? 'canonical IP' : 'canonical decimal'} form`]);
  }
  return out;
}

function where(kind: KindName): string {
  if (Kind[kind] >= 16) return 'in-band';
  return kind === 'Announce' ? 'broker, broadcast' : 'broker, addressed';
}

function kindsTable(): string {
  const lines = ['| kind | number | where | fields |', '| --- | --- | --- | --- |'];
  for (const kind of Object.keys(MESSAGES) as KindName[]) {
    const spec = MESSAGES[kind];
    const fields = spec.fields.length
      ? rows(spec).map(([n, name, type, rule, note]) => `${n} ${name} ${type}, ${rule}${note ? ` (${note})` : ''}`).join('; ')
      : `(no fields${NOTES[kind] ? `; ${NOTES[kind]}` : ''})`;
    lines.push(`| \`${kind}\` | ${Kind[kind]} | ${where(kind)} | ${fields} |`);
  }
  return lines.join('\n');
}

function messageTable(spec: MessageSpec): string {
  const lines = [`**${spec.name}**`, '', '| # | name | type | rule | notes |', '| --- | --- | --- | --- | --- |'];
  for (const row of rows(spec)) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

function enumsTable(enums: EnumType[]): string {
  const lines = ['| enum | values |', '| --- | --- |'];
  for (const e of enums) {
    const values = e.values.map((v, i) => `${e.first + i} \`${v}\``).join(', ');
    lines.push(`| ${e.name} | ${values}${e.first > 0 ? ' (0 invalid)' : ''} |`);
  }
  return lines.join('\n');
}

/** The generated section of docs/PROTOCOL.md, markers included. */
export function renderTables(): string {
  return [
    BEGIN,
    '',
    '#### Kinds',
    '',
    kindsTable(),
    '',
    'Any other kind number is invalid.',
    '',
    '#### Nested messages',
    '',
    ...[DESCRIPTION, CANDIDATE, ICE_CANDIDATE, CHANNEL_OPTIONS, STREAM_INFO].flatMap((spec) => [messageTable(spec), '']),
    '#### Enums',
    '',
    enumsTable([SdpType, Setup, Protocol, CandidateType, TcpType]),
    '',
    `Caps: a body ≤ ${number(MAX_BODY_BYTES)} bytes; \`string\` ≤ ${number(MAX_STRING_BYTES)} UTF-8 bytes unless a smaller cap is given; ≤ ${MAX_ITEMS} items in a repeated field.`,
    '',
    END,
  ].join('\n');
}
