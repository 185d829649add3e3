// Debian's nats-server with a WebSocket listener (no TLS) on free loopback
// ports; stopped by PID. `stop()` and `start()` (or `restart()`) bring it
// down and back on the SAME ports.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requireBinary, spawnLogged, stopChild, waitForPort } from './process.mjs';

export async function startNats() {
  const bin = requireBinary('nats-server', 'nats-server');
  const dir = mkdtempSync(join(tmpdir(), 'peerix-nats-'));
  const port = await freePort();
  const wsPort = await freePort();
  const config = join(dir, 'nats.conf');
  writeFileSync(config, `listen: "127.0.0.1:${port}"\nwebsocket {\n  listen: "127.0.0.1:${wsPort}"\n  no_tls: true\n}\n`);
  let child = null;
  const start = async () => {
    if (child) return;
    child = spawnLogged(bin, ['-c', config]);
    await waitForPort(wsPort, { child });
    await waitForPort(port, { child });
  };
  const stop = async () => {
    const c = child;
    child = null;
    await stopChild(c);
  };
  await start();
  return {
    url: `ws://127.0.0.1:${wsPort}`,
    natsUrl: `nats://127.0.0.1:${port}`,
    get pid() { return child?.pid; },
    start,
    stop,
    restart: async () => { await stop(); await start(); },
    close: async () => { await stop(); rmSync(dir, { recursive: true, force: true }); },
  };
}
