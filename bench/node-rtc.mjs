#!/usr/bin/env node
// The WebRTC implementations for Node.js side by side under the Peerix engine
// (`npm run bench:node-rtc`): two Node peers in one process meet through a
// MemoryDriver, open a channel, exchange a message and an 8 MiB chunked one
// (hash checked), and one leaves. Each candidate runs in its own child process
// with a time limit; the figures feed docs/node.md.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CANDIDATES = {
  '@roamhq/wrtc': async () => (await import('@roamhq/wrtc')).default,
  werift: async () => import('werift'),
  'node-datachannel/polyfill': async () => import('node-datachannel/polyfill'),
};
const LIMIT_MS = 60000;

if (process.argv[2] === '--child') {
  const [, , , name, engine] = process.argv;
  const { Peer, MemoryDriver } = await import(pathToFileURL(engine).href);
  const rtc = await CANDIDATES[name]();
  const report = (result) => {
    console.log(JSON.stringify(result));
    process.exit(0); // also skips a native teardown some implementations crash in
  };
  process.on('unhandledRejection', (reason) => report({ error: `unhandled rejection: ${reason}` }));
  const driver = new MemoryDriver();
  const a = new Peer({ driver, rtc });
  const b = new Peer({ driver, rtc });
  const errors = [];
  for (const p of [a, b]) p.on('error', ({ error }) => errors.push(`${error.code}: ${error.message}`));
  a.open({ label: 'data' });
  const text = new Promise((resolve) => b.on('channel:message', ({ data }) => typeof data === 'string' && resolve(data)));
  const binary = new Promise((resolve) => b.on('channel:message', ({ data }) => typeof data !== 'string' && resolve(data)));
  const open = new Promise((resolve) => a.on('channel:open', resolve));
  const started = Date.now();
  await a.join({ room: 'bench' });
  await b.join({ room: 'bench' });
  await open;
  const connectMs = Date.now() - started;
  await a.send('hello', { label: 'data' });
  const echoed = await text;
  const big = new Uint8Array(8 * 1024 * 1024).map((_, i) => (i * 31) & 255);
  const sent = Date.now();
  void a.send(big, { label: 'data' });
  const received = new Uint8Array(await binary);
  const bigMs = Date.now() - sent;
  const hashOk = createHash('sha256').update(received).digest('hex') === createHash('sha256').update(big).digest('hex');
  const closed = new Promise((resolve) => b.on('connection:closed', resolve));
  const left = Date.now();
  await a.leave();
  await closed;
  report({ connectMs, text: echoed === 'hello', bigMs, hashOk, leaveMs: Date.now() - left, errors: errors.slice(0, 3) });
} else {
  const dir = mkdtempSync(join(tmpdir(), 'peerix-node-rtc-'));
  const engine = join(dir, 'peerix.mjs');
  await build({ entryPoints: [join(ROOT, 'src/index.ts')], bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile: engine, logLevel: 'error' });
  console.log('| implementation | connected | text | 8 MiB chunked | hash | leave seen | errors |');
  console.log('|---|---|---|---|---|---|---|');
  for (const name of Object.keys(CANDIDATES)) {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', name, engine], { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
    await new Promise((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    const line = out.trim().split('\n').pop();
    let r;
    try {
      r = JSON.parse(line);
    } catch {
      r = { error: `no connection within ${LIMIT_MS / 1000} s` };
    }
    if (r.error) console.log(`| ${name} | ${r.error} | | | | | |`);
    else console.log(`| ${name} | ${r.connectMs} ms | ${r.text ? 'yes' : 'no'} | ${r.bigMs} ms | ${r.hashOk ? 'matches' : 'differs'} | ${r.leaveMs} ms | ${r.errors.join('; ') || '—'} |`);
  }
  rmSync(dir, { recursive: true, force: true });
}
