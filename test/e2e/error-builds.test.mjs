// The two builds of the error messages (scripts/build.mjs): the production
// modules and bundles say the code, a few words and where docs/errors.md
// explains it; the development modules (export condition `development`) keep
// the long text. Run in Node against dist/ as a user gets it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInThisContext } from 'node:vm';
import { ROOT } from './harness.mjs';
import { buildIfNeeded } from '../../scripts/start.mjs';

const short = (code, detail = '') => `${code}: ${{ ERR_INVALID_ARGUMENT: 'invalid argument', ERR_DRIVER: 'driver failed' }[code]} (see peerix docs/errors.md#${code.toLowerCase()})${detail}`;
let production;
let development;

before(async () => {
  buildIfNeeded({ log: () => {} });
  production = await import(pathToFileURL(join(ROOT, 'dist/src/index.js')).href);
  development = await import(pathToFileURL(join(ROOT, 'dist/development/src/index.js')).href);
});

/** What `fn` throws or rejects with. */
async function caught(fn) {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}

/** A driver whose broker refuses every subscription. */
const refusing = (peerix) => class extends peerix.MemoryDriver {
  subscribe() {
    throw new Error('broker said no');
  }
};

for (const build of ['production', 'development']) {
  test(`${build}: a bad option throws PeerixError ERR_INVALID_ARGUMENT`, async () => {
    const peerix = build === 'production' ? production : development;
    const error = await caught(() => new peerix.Peer({ driver: 'mqtt' }));
    assert.ok(error instanceof peerix.PeerixError, 'a PeerixError');
    assert.equal(error.code, 'ERR_INVALID_ARGUMENT');
    assert.equal(error.message, build === 'production' ? short('ERR_INVALID_ARGUMENT') : 'options.driver must be a Driver instance');
    // Node without a WebRTC implementation: the development text says what to pass.
    const join = await caught(() => new peerix.Peer({ driver: new peerix.MemoryDriver() }).join({ room: 'r' }));
    assert.equal(join.code, 'ERR_INVALID_ARGUMENT');
    if (build === 'production') assert.equal(join.message, short('ERR_INVALID_ARGUMENT'));
    else assert.match(join.message, /^no RTCPeerConnection in this environment: in Node\.js pass a WebRTC implementation/);
  });

  test(`${build}: a wrapped driver failure keeps the driver's own message after the code`, async () => {
    const peerix = build === 'production' ? production : development;
    const Refusing = refusing(peerix);
    const peer = new peerix.Peer({ driver: new Refusing(), rtc: (await import('@roamhq/wrtc')).default });
    const error = await caught(() => peer.join({ room: 'r' }));
    assert.ok(error instanceof peerix.PeerixError);
    assert.equal(error.code, 'ERR_DRIVER');
    assert.equal(error.cause?.message, 'broker said no');
    // The development text says what failed in words (the signaling layer's), then the driver's own message.
    if (build === 'production') assert.equal(error.message, short('ERR_DRIVER', ': broker said no'));
    else assert.match(error.message, /^(?!ERR_)[a-z].+: broker said no$/);
  });
}

test("the bundles are production: require('peerix'), the UMD <script> and the CDN file give short messages", () => {
  const require = createRequire(join(ROOT, 'package.json'));
  const umd = runInThisContext(`(function () { var module, exports, define; ${readFileSync(join(ROOT, 'dist/peerix.umd.min.js'), 'utf8')}; return peerix; })()`);
  for (const [file, { Peer }] of [['dist/peerix.cjs', require(join(ROOT, 'dist/peerix.cjs'))], ['dist/peerix.umd.min.js', umd]]) {
    assert.throws(() => new Peer({ driver: 1 }), (e) => e.code === 'ERR_INVALID_ARGUMENT' && e.message === short('ERR_INVALID_ARGUMENT'), file);
  }
  const cdn = readFileSync(join(ROOT, 'dist/peerix-elements.js'), 'utf8');
  assert.ok(!cdn.includes('options.driver must be a Driver instance'), 'the CDN file has no long message');
  assert.ok(readFileSync(join(ROOT, 'dist/development/src/peer.js'), 'utf8').includes('options.driver must be a Driver instance'));
});

test("the export condition: import 'peerix' is production, with --conditions=development the long text", () => {
  const run = (...flags) => spawnSync(process.execPath, [...flags, '--input-type=module', '-e',
    "const { Peer } = await import('peerix'); try { new Peer({ driver: 1 }); } catch (e) { console.log(e.code, e.message); }"], { cwd: ROOT, encoding: 'utf8' });
  const plain = run();
  assert.equal(plain.status, 0, plain.stderr);
  assert.equal(plain.stdout.trim(), `ERR_INVALID_ARGUMENT ${short('ERR_INVALID_ARGUMENT')}`);
  const dev = run('--conditions=development');
  assert.equal(dev.status, 0, dev.stderr);
  assert.equal(dev.stdout.trim(), 'ERR_INVALID_ARGUMENT options.driver must be a Driver instance');
});

test('no production module passes a written message to PeerixError; docs/errors.md explains every code', () => {
  const files = (dir) => readdirSync(join(ROOT, dir), { recursive: true }).filter((f) => f.endsWith('.js')).map((f) => join(ROOT, dir, f));
  const left = [];
  for (const file of [...files('dist/src'), ...files('dist/elements')]) {
    for (const [call] of readFileSync(file, 'utf8').matchAll(/(?:new PeerixError|toPeerixError)\([^()]*?'ERR_[A-Z_]+',\s*(?:'[^']+'|`[^`]+`)/g)) left.push(`${file}: ${call}`);
  }
  assert.deepEqual(left, [], 'every message literal is stripped');
  const codes = [...readFileSync(join(ROOT, 'dist/src/errors.d.ts'), 'utf8').matchAll(/^\s*\|?\s*'(ERR_[A-Z_]+)'/gm)].map((m) => m[1]);
  assert.ok(codes.length >= 18, `the codes are read from errors.d.ts (${codes.length})`);
  const documented = [...readFileSync(join(ROOT, 'docs/errors.md'), 'utf8').matchAll(/^### (ERR_[A-Z_]+)$/gm)].map((m) => m[1]);
  assert.deepEqual(documented.sort(), codes.sort());
});
