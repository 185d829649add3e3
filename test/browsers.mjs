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

/** Firefox preferences: fake media without prompts, real host candidates, TURN on loopback. */
export const firefoxPrefs = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.peerconnection.ice.loopback': true,
  'media.autoplay.default': 0,
  'media.autoplay.block-webaudio': false,
  // No sound device here: without cubeb's mock context every AudioContext stays suspended.
  'media.cubeb.force_mock_context': true,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'app.update.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'dom.min_background_timeout_value': 4,
};

/** puppeteer launch options for Debian's Firefox ESR over WebDriver BiDi. */
export function firefoxLaunchOptions() {
  return {
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    protocol: 'webDriverBiDi',
    extraPrefsFirefox: firefoxPrefs,
  };
}
