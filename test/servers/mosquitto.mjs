// Debian's Mosquitto with a plain MQTT listener (it needs one to start) and a
// WebSocket listener, on free loopback ports; stopped by PID. `stop()` and
// `start()` (or `restart()`) bring it down and back on the SAME ports.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requireBinary, startRestartableDaemon } from './process.mjs';

export async function startMosquitto() {
  const bin = requireBinary('mosquitto', 'mosquitto');
  const dir = mkdtempSync(join(tmpdir(), 'peerix-mosquitto-'));
  const mqttPort = await freePort();
  const wsPort = await freePort();
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(config, [
    'per_listener_settings false',
    'allow_anonymous true',
    'persistence false',
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    `listener ${mqttPort} 127.0.0.1`,
    'protocol mqtt',
    `listener ${wsPort} 127.0.0.1`,
    'protocol websockets',
    'socket_domain ipv4',
    '',
  ].join('\n'));
  const daemon = await startRestartableDaemon(bin, ['-c', config], { ports: [wsPort, mqttPort], dir });
  return Object.assign(daemon, {
    url: `ws://127.0.0.1:${wsPort}/mqtt`,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
  });
}
