// Turns the pages' step logs (bench/pages/trace.js) into one row per step:
// when, after the first join() call, the LAST connection of the mesh reached it
// (for N = 2: the pair). Connections that never reached DTLS (a glare loser, a
// rebuilt one) are left out, so a row is what the mesh that formed waited for.

/** Not a time but a duration: main-thread long tasks after the join, on the busiest page. */
export const BUSY = 'Σ long tasks after join (busiest page)';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * One run: `pages` = [{ status, steps }] as returned by window.bench.status()/trace().
 * Returns { step: ms after the earliest join } plus the library-level marks.
 */
export function analyseRun(pages) {
  const t0 = Math.min(...pages.map((p) => p.status.t0));
  const last = {};
  const put = (step, t) => { last[step] = Math.max(last[step] ?? -Infinity, t - t0); };
  let busiest = 0;
  for (const { steps } of pages) {
    const formed = new Set(steps.filter((s) => s.step === 'DTLS connected').map((s) => s.pc));
    let busy = 0;
    for (const { t, pc, step, duration } of steps) {
      if (step === 'long task') busy += t >= t0 ? duration : 0;
      else if (pc === 0 || formed.has(pc)) put(step, t);
    }
    busiest = Math.max(busiest, busy);
  }
  last[BUSY] = busiest;
  for (const { status } of pages) {
    if (status.t1) put('app data channel open (library)', status.t1);
    const frames = Object.values(status.firstFrame ?? {});
    if (frames.length) put('first remote video frame', Math.max(...frames));
  }
  return last;
}

/** Medians over runs: { step: { median, runs } }, ordered by time. */
export function summariseRuns(runs) {
  const steps = new Map();
  for (const run of runs) for (const [step, ms] of Object.entries(run)) (steps.get(step) ?? steps.set(step, []).get(step)).push(ms);
  return Object.fromEntries(
    [...steps]
      .map(([step, values]) => [step, { median: Math.round(median(values)), runs: values.length }])
      .sort((a, b) => (a[0] === BUSY) - (b[0] === BUSY) || a[1].median - b[1].median),
  );
}

/** A Markdown table: a row per step (ordered by the first library's times), a column per library. */
export function renderTrace(title, byLib) {
  const libs = Object.keys(byLib).filter((lib) => !byLib[lib].failed);
  if (!libs.length) return `### ${title}\n\nevery library failed: ${Object.values(byLib).map((r) => r.failed).join('; ')}\n`;
  const order = [];
  for (const lib of libs) for (const step of Object.keys(byLib[lib])) if (!order.includes(step)) order.push(step);
  const cell = (lib, step) => (byLib[lib][step] ? `${byLib[lib][step].median} ms` : '—');
  const lines = [
    `### ${title}`,
    '',
    `| step (last connection to reach it) | ${libs.join(' | ')} |`,
    `| --- | ${libs.map(() => '---:').join(' | ')} |`,
    ...order.map((step) => `| ${step} | ${libs.map((lib) => cell(lib, step)).join(' | ')} |`),
  ];
  const failed = Object.entries(byLib).filter(([, r]) => r.failed);
  if (failed.length) lines.push('', ...failed.map(([lib, r]) => `${lib}: failed (${r.failed})`));
  return `${lines.join('\n')}\n`;
}
