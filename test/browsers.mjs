// Launch settings for the system browsers, shared by web-test-runner, the
// multi-page harness and the benchmarks.
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.PEERIX_CHROMIUM ?? '/usr/bin/chromium';
export const FIREFOX_PATH = process.env.PEERIX_FIREFOX ?? '/usr/bin/firefox-esr';

// Chromium honours only the last --disable-features flag, so this one repeats
// Playwright's own list and adds what WebRTC tests need (real host candidates
// instead of mDNS names).
const disabledFeatures = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'WebRtcHideLocalIpsWithMdns',
];

export const chromiumArgs = [
  '--no-sandbox',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  `--disable-features=${disabledFeatures.join(',')}`,
];

/** Fails with an install hint when a system browser is missing: never a silent skip. */
export function requireBrowser(path, debianPackage) {
  if (!existsSync(path)) {
    throw new Error(`${path} not found: install it with "apt-get install -y ${debianPackage}" (or set PEERIX_${debianPackage.startsWith('chromium') ? 'CHROMIUM' : 'FIREFOX'})`);
  }
  return path;
}
