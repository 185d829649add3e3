#!/usr/bin/env node
// `npm run bench:fuzz`: the codec and envelope fuzzers at 100,000 cases each
// (FUZZ_CASES to change), in Node. Not part of the timed test run. Exits 1 if
// anything but a PeerixError escaped.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const cases = Number(process.env.FUZZ_CASES ?? 100_000);
const bundle = await esbuild.build({ entryPoints: [join(root, 'bench/fuzz-run.ts')], bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', write: false });
const dir = mkdtempSync(join(tmpdir(), 'peerix-fuzz-'));
const file = join(dir, 'fuzz.mjs');
writeFileSync(file, bundle.outputFiles[0].text);
let failed = false;
try {
  const { fuzzCodec, fuzzEnvelopes } = await import(pathToFileURL(file).href);
  for (const result of [fuzzCodec(cases), await fuzzEnvelopes(cases)]) {
    const rejected = Object.values(result.codes).reduce((a, b) => a + b, 0);
    console.log(`\n${result.name}: ${result.cases} cases in ${(result.ms / 1000).toFixed(1)} s`);
    console.log(`  accepted ${result.accepted}, rejected with PeerixError ${rejected}`);
    for (const [code, n] of Object.entries(result.codes).sort((x, y) => y[1] - x[1])) console.log(`    ${code.padEnd(16)} ${n}`);
    if (result.foreign.length) {
      failed = true;
      console.log(`  FOREIGN ERRORS (${result.foreign.length}):`);
      for (const e of result.foreign.filter(Boolean)) console.log(`    ${e}`);
    }
    if (result.accepted + rejected + result.foreign.length !== result.cases) failed = true;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(failed ? '\nFAIL: something other than a PeerixError escaped' : '\nOK: nothing but PeerixError escaped');
process.exit(failed ? 1 : 0);
