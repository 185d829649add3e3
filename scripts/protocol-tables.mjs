#!/usr/bin/env node
// Writes docs/PROTOCOL.md's message tables (kinds, nested messages, enums) from the
// wire schema, src/signaling/schema.ts. `--check` only reports whether the doc is
// up to date (exit code 1 when not). test/signaling/protocol-doc.test.ts runs the same check.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const doc = `${root}docs/PROTOCOL.md`;
const result = await build({
  entryPoints: [`${root}test/signaling/protocol-tables.ts`],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  write: false,
  logLevel: 'silent',
});
const { BEGIN, END, renderTables } = await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);

const text = readFileSync(doc, 'utf8');
const start = text.indexOf(BEGIN);
const end = text.indexOf(END);
if (start < 0 || end < start) {
  console.error(`docs/PROTOCOL.md lacks the markers:\n${BEGIN}\n${END}`);
  process.exit(1);
}
const next = text.slice(0, start) + renderTables() + text.slice(end + END.length);
if (process.argv.includes('--check')) {
  console.log(next === text ? 'docs/PROTOCOL.md matches the schema' : 'docs/PROTOCOL.md differs from the schema: run node scripts/protocol-tables.mjs');
  process.exit(next === text ? 0 : 1);
}
writeFileSync(doc, next);
console.log(next === text ? 'docs/PROTOCOL.md already matches the schema' : 'docs/PROTOCOL.md tables rewritten from the schema');
