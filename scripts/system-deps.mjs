#!/usr/bin/env node
// The Debian packages the test suites need, in one place: `npm test` checks
// them up front and names every missing one in a single message; `.ci/run`
// installs them (`node scripts/system-deps.mjs` prints the list).
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_PATH, FIREFOX_PATH } from '../test/browsers.mjs';

/** package → how to tell it is there, and which parts of `npm test` need it. */
export const SYSTEM_PACKAGES = [
  { name: 'chromium', path: CHROMIUM_PATH, parts: ['wtr', 'e2e'], browser: 'chromium' },
  { name: 'firefox-esr', path: FIREFOX_PATH, parts: ['wtr', 'e2e'], browser: 'firefox' },
  { name: 'mosquitto', binary: 'mosquitto', parts: ['e2e'] },
  { name: 'nats-server', binary: 'nats-server', parts: ['e2e'] },
  { name: 'coturn', binary: 'turnserver', parts: ['e2e'] },
  // The private network namespace (as root): unshare, ip, sysctl.
  { name: 'util-linux', binary: 'unshare', parts: ['wtr', 'e2e'], rootOnly: true },
  { name: 'iproute2', binary: 'ip', parts: ['wtr', 'e2e'], rootOnly: true },
  { name: 'procps', binary: 'sysctl', parts: ['wtr', 'e2e'], rootOnly: true },
];

function onPath(binary) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  return dirs.some((dir) => dir && existsSync(join(dir, binary)));
}

/** The browsers asked for: PEERIX_BROWSERS=chromium,firefox (the default: both). */
export function wantedBrowsers() {
  return (process.env.PEERIX_BROWSERS ?? 'chromium,firefox').split(',').map((b) => b.trim()).filter(Boolean);
}

/** Missing packages for the given parts of `npm test` and browsers. */
export function missingSystemPackages(parts, browsers = wantedBrowsers()) {
  const root = process.getuid?.() === 0;
  return SYSTEM_PACKAGES.filter((pkg) => {
    if (!pkg.parts.some((p) => parts.includes(p))) return false;
    if (pkg.browser && !browsers.includes(pkg.browser)) return false;
    if (pkg.rootOnly && !root) return false;
    return pkg.path ? !existsSync(pkg.path) : !onPath(pkg.binary);
  }).map((pkg) => pkg.name);
}

/** One message naming everything to install. */
export function installMessage(missing) {
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  return [
    `npm test needs ${missing.length === 1 ? 'this Debian package' : 'these Debian packages'}, not installed here: ${missing.join(', ')}.`,
    `Install ${missing.length === 1 ? 'it' : 'them'} with:`,
    '',
    `  ${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${missing.join(' ')}`,
    '',
    '(or run `bash .ci/run` as root: it installs them, then runs npm test).',
    'PEERIX_BROWSERS=chromium (or firefox) narrows the suites to one browser.',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(SYSTEM_PACKAGES.map((p) => p.name).join(' '));
}
