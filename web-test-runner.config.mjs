// Browser tests: unit, engine and element suites in the system Chromium.
import { writeFileSync } from 'node:fs';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { chromeLauncher } from '@web/test-runner-chrome';
import puppeteer from 'puppeteer-core';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { CHROMIUM_PATH, FIREFOX_PATH, chromiumArgs, firefoxLaunchOptions, requireBrowser } from './test/browsers.mjs';
import { natsCorePlugin } from './test/nats-core-plugin.mjs';

// Both browsers by default; PEERIX_BROWSERS=chromium (or firefox) narrows a local run.
const wanted = (process.env.PEERIX_BROWSERS ?? 'chromium,firefox').split(',');
const browsers = [];
if (wanted.includes('chromium')) {
  requireBrowser(CHROMIUM_PATH, 'chromium');
  browsers.push(playwrightLauncher({
    product: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, headless: true, args: chromiumArgs },
  }));
}
if (wanted.includes('firefox')) {
  requireBrowser(FIREFOX_PATH, 'firefox-esr');
  // puppeteer-core over WebDriver BiDi: full puppeteer would download a browser on install.
  browsers.push(chromeLauncher({ launchOptions: firefoxLaunchOptions(), puppeteer }));
}

/** Writes pass/fail totals where scripts/test.mjs can read them. */
function countingReporter(file) {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      const failures = [];
      const walk = (suite, path, where) => {
        for (const t of suite?.tests ?? []) {
          if (t.skipped) continue;
          if (t.passed) passed++;
          else failures.push(`${where}: ${[...path, t.name].join(' > ')}`);
        }
        for (const s of suite?.suites ?? []) walk(s, [...path, s.name], where);
      };
      for (const session of sessions) {
        const where = `${session.testFile.replace(`${process.cwd()}/`, '')} (${session.browser.name})`;
        walk(session.testResults, [], where);
        // A file that failed to load or threw outside a test counts as a failure.
        if (!session.passed && (session.errors?.length ?? 0) > 0) failures.push(`${where}: ${session.errors[0]?.message ?? 'failed outside any test'}`);
      }
      writeFileSync(file, JSON.stringify({ passed, failed: failures.length, failures }));
    },
  };
}

// Every browser suite: test/<area>/**/*.test.ts (end-to-end suites are .mjs and run under node:test).
const groups = (process.env.PEERIX_WTR_FILES ?? 'test/**/*.test.ts').split(',');

export default {
  files: groups,
  nodeResolve: { exportConditions: ['browser', 'development'], browser: true },
  hostname: '127.0.0.1',
  concurrency: 1,
  concurrentBrowsers: 1,
  testsFinishTimeout: 10 * 60 * 1000,
  // A loaded machine (CI beside other jobs) needed more than the default 30 s to open a page.
  browserStartTimeout: 2 * 60 * 1000,
  testFramework: { config: { timeout: 30000 } },
  plugins: [natsCorePlugin(), esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' })],
  browsers,
  reporters: [
    defaultReporter(),
    summaryReporter({ flatten: false }),
    countingReporter(process.env.PEERIX_WTR_RESULTS ?? '.wtr-results.json'),
  ],
};
