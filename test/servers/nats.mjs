// Debian's nats-server with a WebSocket listener (no TLS) on free loopback
// ports; stopped by PID. `stop()` and `start()` (or `restart()`) bring it
// down and back on the SAME ports.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requireBinary, startRestartableDaemon } from './process.mjs';

export async function startNats() {
  const bin = requireBinary('nats-server', 'nats-server');
  const dir = mkdtempSync(join(tmpdir(), 'peerix-nats-'));
  const port = await freePort();
  const wsPort = await freePort();
  const config = join(dir, 'nats.conf');
  writeFileSync(config, `listen: "127.0.0.1:${port}"\nwebsocket {\n  listen: "127.0.0.1:${wsPort}"\n  no_tls: true\n}\n`);
  const daemon = await startRestartableDaemon(bin, ['-c', config], { ports: [wsPort, port], dir });
  return Object.assign(daemon, {
    url: `ws://127.0.0.1:${wsPort}`,
    natsUrl: `nats://127.0.0.1:${port}`,
  });
}
