// Starts Debian's coturn (TURN) on 127.0.0.1 for relay-only tests; stop() kills it by PID.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TURNSERVER = ['/usr/bin/turnserver', '/usr/sbin/turnserver'].find((p) => existsSync(p));

function waitForPort(port, timeout = 10000) {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(); });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() - start > timeout) reject(new Error(`coturn did not listen on ${port} within ${timeout} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** Starts coturn with long-term credentials; returns its ICE server entry and stop(). */
export async function startCoturn({ port = 3478, user = 'peerix', password = 'peerix-pass' } = {}) {
  if (!TURNSERVER) throw new Error('turnserver not found: install it with "apt-get install -y coturn"');
  const dir = mkdtempSync(join(tmpdir(), 'peerix-coturn-'));
  const config = join(dir, 'turnserver.conf');
  writeFileSync(config, [
    'listening-ip=127.0.0.1',
    'relay-ip=127.0.0.1',
    `listening-port=${port}`,
    'min-port=49160',
    'max-port=49200',
    'realm=peerix.test',
    'lt-cred-mech',
    `user=${user}:${password}`,
    'fingerprint',
    'no-tls',
    'no-dtls',
    'no-cli',
    'allow-loopback-peers',
    'no-multicast-peers',
    `pidfile=${join(dir, 'turnserver.pid')}`,
    `userdb=${join(dir, 'turndb')}`,
    'simple-log',
    `log-file=${join(dir, 'turn.log')}`,
  ].join('\n'));
  const child = spawn(TURNSERVER, ['-c', config], { stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => (exited = true));
  await waitForPort(port);
  if (exited) throw new Error('coturn exited at start');
  return {
    iceServer: { urls: `turn:127.0.0.1:${port}?transport=udp`, username: user, credential: password },
    stop: async () => {
      if (!exited) {
        child.kill('SIGTERM');
        await new Promise((resolve) => (exited ? resolve() : child.once('exit', resolve)));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
