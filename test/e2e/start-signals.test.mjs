// `npm start` as a user runs it: the demo over HTTP and HTTPS (self-signed
// certificate made on first run), a favicon instead of a 404, and SIGINT or
// SIGTERM sent to npm alone (a process manager, a closing terminal) or SIGINT to
// the whole process group (Ctrl+C in a terminal) stops every process it started.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, sleep } from './harness.mjs';
import { buildIfNeeded } from '../../scripts/start.mjs';

before(() => buildIfNeeded({ log: () => {} })); // a build is not what these tests time

/** Every descendant of `pid`, read from /proc. */
function descendants(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  const all = [];
  const walk = (p) => {
    for (const c of children.get(p) ?? []) {
      all.push(c);
      walk(c);
    }
  };
  walk(pid);
  return all;
}

const alive = (pid) => {
  if (!existsSync(`/proc/${pid}`)) return false;
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '); // a zombie is gone
  } catch {
    return false;
  }
};

function fetchHttps(url) {
  return new Promise((resolve, reject) => {
    request(url, { rejectUnauthorized: false, agent: false }, (res) => {
      const cert = res.socket.getPeerCertificate();
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, cert }));
    }).on('error', reject).end();
  });
}

/** Starts `npm start` on free ports; resolves once it printed its URLs. */
async function npmStart(certDir) {
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HTTPS_PORT: '0', HOST: '127.0.0.1', PEERIX_CERT_DIR: certDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own group: the test can clean up whatever a failure leaves
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const start = Date.now();
  while (!/Ctrl\+C stops/.test(out)) {
    if (Date.now() - start > 60000) throw new Error(`npm start printed no URLs in 60 s:\n${out}`);
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${out}`);
    await sleep(100);
  }
  const http = out.match(/http:\/\/127\.0\.0\.1:\d+\//)?.[0];
  const https = out.match(/https:\/\/127\.0\.0\.1:\d+\//)?.[0];
  return { child, exited, http, https, output: () => out };
}

for (const [signal, to] of [['SIGINT', 'npm'], ['SIGTERM', 'npm'], ['SIGINT', 'group']]) {
  const whom = to === 'npm' ? 'npm' : 'the whole process group (Ctrl+C)';
  test(`npm start serves HTTP and HTTPS, then ${signal} to ${whom} stops it and its children`, { timeout: 120000 }, async () => {
    const certDir = mkdtempSync(join(tmpdir(), 'peerix-cert-'));
    const run = await npmStart(certDir);
    try {
      assert.ok(run.http, `an HTTP URL is printed:\n${run.output()}`);
      assert.ok(run.https, `an HTTPS URL is printed:\n${run.output()}`);
      const page = await fetch(run.http);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /peerix-conference/);
      const icon = await fetch(new URL('/favicon.ico', run.http));
      assert.equal(icon.status, 200, 'favicon.ico answers (no 404 in every page log)');
      const secure = await fetchHttps(run.https);
      assert.equal(secure.status, 200, 'the demo over HTTPS');
      assert.ok(existsSync(join(certDir, 'cert.pem')), 'the certificate is kept for the next run');

      const tree = descendants(run.child.pid);
      assert.ok(tree.length >= 1, 'npm runs the server as a child');
      // npm alone, as a process manager or a closing terminal does; or every process of
      // the group, as a terminal's Ctrl+C does (the child runs in a group of its own).
      process.kill(to === 'npm' ? run.child.pid : -run.child.pid, signal);
      const result = await Promise.race([run.exited, sleep(15000).then(() => null)]);
      assert.ok(result, `npm exits within 15 s of ${signal}`);
      const deadline = Date.now() + 10000;
      while (tree.some(alive) && Date.now() < deadline) await sleep(100);
      assert.deepEqual(tree.filter(alive), [], `no process of npm start survives ${signal}`);
      await assert.rejects(fetch(run.http), 'the HTTP port is closed');
    } finally {
      try {
        process.kill(-run.child.pid, 'SIGKILL');
      } catch {
        // all gone, as it should be
      }
    }
  });
}

test('a second npm start reuses the certificate made by the first', { timeout: 120000 }, async () => {
  const certDir = mkdtempSync(join(tmpdir(), 'peerix-cert-'));
  const fingerprints = [];
  for (let i = 0; i < 2; i++) {
    const run = await npmStart(certDir);
    try {
      fingerprints.push((await fetchHttps(run.https)).cert?.fingerprint256);
      process.kill(run.child.pid, 'SIGTERM');
      await run.exited;
    } finally {
      try {
        process.kill(-run.child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  assert.ok(fingerprints[0], 'a certificate was served');
  assert.equal(fingerprints[1], fingerprints[0]);
});
