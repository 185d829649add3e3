// Debug logging is a development feature (scripts/strip-debug-logs.mjs): the
// production modules carry no log calls and a bundle of the engine core no
// logger; with the `development` export condition, DEBUG=peerix:* logs. Run in
// Node against dist/ as a user gets it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './harness.mjs';
import { buildIfNeeded } from '../../scripts/start.mjs';

before(() => buildIfNeeded({ log: () => {} }));

const modules = (dir) => readdirSync(join(ROOT, dir), { recursive: true }).filter((f) => f.endsWith('.js')).map((f) => join(ROOT, dir, f));
/** Lines calling an engine logger (`debug(…)`, not `createDebug(…)`). */
const logCalls = (file) => readFileSync(file, 'utf8').split('\n').filter((line) => /(?<![\w.])debug\(/.test(line));

test('the production modules carry no debug log call; the development modules keep them', () => {
  const left = modules('dist/src').flatMap((file) => logCalls(file).map((line) => `${file}: ${line.trim()}`));
  assert.deepEqual(left, []);
  assert.ok(logCalls(join(ROOT, 'dist/development/src/peer.js')).some((line) => line.includes("'joined'")), 'the development Peer logs its join');
});

test('a bundle of the production engine core has no logger; the development one has', async () => {
  const bundle = async (dir) => {
    const result = await build({ entryPoints: [join(ROOT, dir, 'peer.js')], bundle: true, minify: true, format: 'esm', write: false, logLevel: 'silent' });
    return result.outputFiles[0].text;
  };
  assert.ok(!(await bundle('dist/src')).includes('console.debug'));
  assert.ok((await bundle('dist/development/src')).includes('console.debug'));
});

test("DEBUG=peerix:* logs with --conditions=development, and the production build stays quiet", () => {
  const run = (...flags) => spawnSync(process.execPath, [...flags, '--input-type=module', '-e', `
    const { Peer, MemoryDriver } = await import('peerix');
    const { default: rtc } = await import('@roamhq/wrtc');
    const peer = new Peer({ driver: new MemoryDriver(), rtc });
    await peer.join({ room: 'debug-builds' });
    await peer.leave();
    console.log('left');`], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DEBUG: 'peerix:*' } });
  const dev = run('--conditions=development');
  assert.equal(dev.status, 0, dev.stderr);
  assert.match(dev.stdout, /peerix:peer.*joined debug-builds as/);
  const production = run();
  assert.equal(production.status, 0, production.stderr);
  assert.equal(production.stdout.trim(), 'left');
});
