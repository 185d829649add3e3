// `npm test` on a machine that lacks system packages: one message up front naming
// every missing Debian package and the apt-get line, and nothing run. The packages
// are hidden for real, in a private mount namespace (as root: `unshare -m`, an
// empty tmpfs over /usr/sbin, where mosquitto, nats-server and sysctl live, and
// over Firefox's directory, so /usr/bin/firefox-esr points nowhere).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { ROOT } from './harness.mjs';

const HIDE = 'mount -t tmpfs none /usr/sbin && mount -t tmpfs none /usr/lib/firefox-esr';
const root = process.getuid?.() === 0;
const canHide = root && spawnSync('unshare', ['-m', 'sh', '-c', HIDE], { stdio: 'ignore' }).status === 0;
const skip = canHide ? false : 'needs root and a mount namespace (unshare -m) to hide packages for real';

/** `node scripts/test.mjs <part>` with the packages hidden; stopped after 30 s if it runs on regardless. */
function testScriptWithout(part, env = {}) {
  return new Promise((resolve) => {
    const { PEERIX_NETNS, PEERIX_NO_NETNS, ...outer } = process.env; // as a user starts it: outside any namespace
    const child = spawn('unshare', ['-m', 'sh', '-c', `${HIDE} && exec "$@"`, 'sh', process.execPath, 'scripts/test.mjs', part], {
      cwd: ROOT,
      env: { ...outer, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own group, so the fallback below ends whatever it started
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }, 30000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

for (const [browsers, expected] of [
  ['chromium,firefox', ['firefox-esr', 'mosquitto', 'nats-server', 'procps']],
  ['chromium', ['mosquitto', 'nats-server', 'procps']],
]) {
  test(`npm test -- e2e (PEERIX_BROWSERS=${browsers}) names every missing package in one message and runs nothing`, { skip }, async () => {
    const run = await testScriptWithout('e2e', { PEERIX_BROWSERS: browsers });
    assert.equal(run.code, 1, `exits 1 at once (got ${run.code ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
    const named = run.stderr.match(/not installed here: (.*)\.$/m)?.[1].split(', ');
    assert.deepEqual(named, expected, run.stderr);
    assert.equal(run.stderr.match(/npm test needs/g)?.length, 1, 'one message');
    assert.ok(run.stderr.includes(`apt-get install -y --no-install-recommends ${expected.join(' ')}`), `the apt-get line:\n${run.stderr}`);
    assert.ok(!run.stdout.includes('━━'), `no suite started:\n${run.stdout}`);
    assert.match(run.stdout, /0 passed, 1 failed/);
  });
}
