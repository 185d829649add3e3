#!/usr/bin/env node
// `npm test`: typecheck, the browser suites (web-test-runner) and the
// multi-page end-to-end suites (node:test + playwright-core), all inside one
// private network namespace, closing with one line: "N passed, N failed".
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { installMessage, missingSystemPackages, wantedBrowsers } from './system-deps.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

const PARTS = ['typecheck', 'wtr', 'e2e'];
const only = process.argv.slice(2); // e.g. `npm test -- e2e` or `-- wtr`
const wants = (name) => only.length === 0 || only.includes(name);
const unknown = only.filter((p) => !PARTS.includes(p));
if (unknown.length) {
  console.error(`npm test: unknown part ${unknown.join(', ')}; the parts are ${PARTS.join(', ')}`);
  process.exit(2);
}

// Everything the machine lacks, named once, before anything runs.
if (process.env.PEERIX_NETNS !== '1') {
  if (!existsSync('node_modules/.package-lock.json')) {
    console.error('npm test: run `npm install` first (node_modules is missing).');
    process.exit(1);
  }
  const missing = missingSystemPackages(PARTS.filter(wants));
  if (missing.length) {
    console.error(installMessage(missing));
    console.log('\n0 passed, 1 failed');
    process.exit(1);
  }
}

if (process.env.PEERIX_NETNS !== '1' && process.env.PEERIX_NO_NETNS !== '1') {
  const result = spawnSync(process.execPath, ['scripts/netns.mjs', process.execPath, 'scripts/test.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

const totals = { passed: 0, failed: 0 };
/** Names of what failed, repeated at the end so the last lines of a CI log say what to fix. */
const failures = [];
const outDir = 'test-output';
mkdirSync(outDir, { recursive: true });

function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

function section(title) {
  console.log(`\n━━ ${title} ━━`);
}

if (wants('typecheck')) {
  section('typecheck (tsc --noEmit: project, driver client shapes; src/ structure)');
  // The project, then the check that the real client libraries fit the drivers' client shapes.
  for (const project of ['tsconfig.json', 'test/types/tsconfig.json']) {
    const code = await run('npx', ['tsc', '-p', project, '--noEmit']);
    if (code === 0) totals.passed++;
    else {
      totals.failed++;
      failures.push(`typecheck: tsc -p ${project}`);
    }
  }
  // No import cycle in src/, no file there over ~350 lines (docs/ARCHITECTURE.md).
  if ((await run('node', ['scripts/check-structure.mjs'])) === 0) totals.passed++;
  else totals.failed++;
}

if (wants('wtr')) {
  section('browser suites (web-test-runner, Chromium)');
  const results = `${outDir}/wtr-results.json`;
  rmSync(results, { force: true });
  const code = await run('npx', ['wtr', '--config', 'web-test-runner.config.mjs'], { PEERIX_WTR_RESULTS: results });
  if (existsSync(results)) {
    const { passed, failed, failures: names = [] } = JSON.parse(readFileSync(results, 'utf8'));
    totals.passed += passed;
    totals.failed += failed;
    failures.push(...names.map((name) => `wtr ${name}`));
    if (code !== 0 && failed === 0) {
      totals.failed++; // the runner failed outside any test
      failures.push(`wtr: web-test-runner exited with ${code} outside any test`);
    }
  } else {
    console.error('web-test-runner wrote no results: counting the suite as one failure');
    totals.failed++;
    failures.push('wtr: no results written');
  }
}

if (wants('e2e')) {
  section('multi-page end-to-end suites (node:test, playwright-core)');
  // PEERIX_BROWSERS narrows these too: a suite that launches a browser not asked for is left out.
  const browsers = wantedBrowsers();
  const uses = {
    chromium: /launchChromium|launchBrowser|openPeerPage|['"]chromium['"]/,
    firefox: /launchFirefox|['"]firefox['"]/,
  };
  const all = readdirSync('test/e2e').filter((f) => f.endsWith('.test.mjs')).map((f) => `test/e2e/${f}`);
  const files = all.filter((file) => {
    // The suite and the helpers beside it that it imports (the harness offers both browsers: not counted).
    let text = readFileSync(file, 'utf8');
    for (const [, helper] of text.matchAll(/from '\.\/([\w-]+\.mjs)'/g)) {
      if (helper !== 'harness.mjs' && existsSync(`test/e2e/${helper}`)) text += readFileSync(`test/e2e/${helper}`, 'utf8');
    }
    return Object.entries(uses).every(([browser, pattern]) => browsers.includes(browser) || !pattern.test(text));
  });
  const left = all.filter((f) => !files.includes(f));
  if (left.length) console.log(`PEERIX_BROWSERS=${browsers.join(',')}: leaving out ${left.join(', ')}`);
  const tap = `${outDir}/e2e.tap`;
  rmSync(tap, { force: true });
  const code = await run(process.execPath, [
    '--test', '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (name) => Number(text.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  totals.passed += count('pass');
  totals.failed += count('fail') + count('cancelled');
  if (code !== 0 && count('fail') + count('cancelled') === 0) {
    totals.failed++;
    failures.push(`e2e: node --test exited with ${code} outside any test`);
  }
  // TAP "not ok N - name" lines (a failing test inside a suite names the suite too).
  for (const [, name] of text.matchAll(/^\s*not ok \d+ - (.*)$/gm)) failures.push(`e2e: ${name}`);
}

if (failures.length) console.log(`\nfailed:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 ? 0 : 1);
