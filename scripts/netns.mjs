#!/usr/bin/env node
// Runs a command inside a private network namespace with a veth pair and a
// default route, so browsers gather host candidates and nothing leaves the
// machine. Where unshare is not allowed, runs the command as it is and says so.
import { spawnSync, spawn } from 'node:child_process';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: node scripts/netns.mjs <command> [args...]');
  process.exit(2);
}

// IPv6 stays off: link-local addresses appearing a second later made Chromium
// abort in-flight requests with ERR_NETWORK_CHANGED.
const setup = [
  'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1',
  'ip link set lo up',
  'ip link add v0 type veth peer name v1',
  'ip addr add 198.18.0.1/24 dev v0',
  'ip link set v0 up',
  'ip link set v1 up',
  'ip route add default via 198.18.0.2 dev v0',
].join(' && ');

function canUnshare() {
  if (process.env.PEERIX_NETNS === '1') return false; // already inside
  if (process.env.PEERIX_NO_NETNS === '1') return false;
  const probe = spawnSync('unshare', ['-n', 'sh', '-c', setup], { stdio: 'ignore' });
  return probe.status === 0;
}

let child;
if (canUnshare()) {
  child = spawn('unshare', ['-n', 'sh', '-c', `${setup} && exec "$@"`, 'sh', cmd, ...args], {
    stdio: 'inherit',
    env: { ...process.env, PEERIX_NETNS: '1' },
  });
} else {
  if (process.env.PEERIX_NETNS !== '1') {
    console.warn('netns: cannot create a private network namespace (needs root and iproute2);' +
      ' running without one: browsers may use mDNS candidates and the real network.');
  }
  child = spawn(cmd, args, { stdio: 'inherit' });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
