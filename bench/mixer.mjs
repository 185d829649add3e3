#!/usr/bin/env node
// `npm run bench:mixer`: what composing costs. Four animated 640×360 sources
// (canvas captureStream at 15 fps) in one headless Chromium page, first alone
// (baseline), then mixed by a Mixer (1280×720 grid, 15 fps) for the same time.
// The difference, divided by the frames the mixer composed, is the cost of a
// composed frame: main-thread task time (CDP Performance.TaskDuration) and the
// CPU time of every browser process (/proc). A benchmark: prints, never asserts.
// Environment: BENCH_MIXER_SECONDS (each phase, default 10), BENCH_MIXER_SIZE (mix, default 1280x720).
import { readFileSync, readdirSync } from 'node:fs';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, chromiumArgs, requireBrowser } from '../test/browsers.mjs';
import { ROOT, startStaticServer } from '../test/e2e/harness.mjs';

const SECONDS = Number(process.env.BENCH_MIXER_SECONDS ?? 10);
const [WIDTH, HEIGHT] = (process.env.BENCH_MIXER_SIZE ?? '1280x720').split('x').map(Number);
const SOURCES = 4;
const FPS = 15;
const TICK = 100; // USER_HZ: clock ticks per second in /proc/<pid>/stat on Linux

/** CPU seconds of every process below this one (the browser and its helpers). */
function browserCpuSeconds() {
  const parents = new Map();
  const cpu = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(pid, fields[1]);
      cpu.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {}
  }
  const mine = new Set([String(process.pid)]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) if (!mine.has(pid) && mine.has(ppid)) (mine.add(pid), (grew = true));
  }
  mine.delete(String(process.pid));
  let ticks = 0;
  for (const pid of mine) ticks += cpu.get(pid) ?? 0;
  return ticks / TICK;
}

const bundle = build({
  stdin: { contents: "export { Mixer } from './src/addons/mixer/index.ts';", resolveDir: ROOT, loader: 'ts' },
  bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent',
}).then((r) => r.outputFiles[0].text);
const page = `<!doctype html><meta charset="utf-8"><script type="module">
  import { Mixer } from '/mixer.js';
  window.sources = [];
  window.addSources = (n) => {
    for (let i = 0; i < n; i++) {
      const canvas = Object.assign(document.createElement('canvas'), { width: 640, height: 360 });
      const ctx = canvas.getContext('2d');
      let t = 0;
      // Moving bars: every frame differs, as a camera's would.
      setInterval(() => {
        t++;
        ctx.fillStyle = 'hsl(' + (i * 90) + ' 70% 40%)';
        ctx.fillRect(0, 0, 640, 360);
        ctx.fillStyle = '#fff';
        for (let x = 0; x < 640; x += 80) ctx.fillRect((x + t * 4) % 640, 0, 20, 360);
      }, 1000 / ${FPS});
      sources.push(canvas.captureStream(${FPS}));
    }
  };
  window.startMixer = (width, height) => {
    window.mixer = new Mixer({ width, height, frameRate: ${FPS} });
    sources.forEach((s, i) => mixer.add(s, { name: 'source ' + (i + 1) }));
    // A consumer, as a preview or a recorder would be.
    const video = Object.assign(document.createElement('video'), { muted: true, srcObject: mixer.stream });
    document.body.append(video);
    return video.play();
  };
  window.ready = true;
</script>`;

requireBrowser(CHROMIUM_PATH, 'chromium');
const server = await startStaticServer({
  routes: {
    '/mixer.js': async (req, res) => res.writeHead(200, { 'content-type': 'text/javascript' }).end(await bundle),
    '/bench-mixer.html': (req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page),
  },
});
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: chromiumArgs });
try {
  const tab = await browser.newPage();
  const cdp = await tab.context().newCDPSession(tab);
  await cdp.send('Performance.enable');
  const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
  await tab.goto(`${server.url}/bench-mixer.html`);
  await tab.waitForFunction(() => window.ready === true);
  await tab.evaluate((n) => window.addSources(n), SOURCES);
  await new Promise((r) => setTimeout(r, 2000));

  const measure = async () => {
    const [task0, cpu0] = [await taskSeconds(), browserCpuSeconds()];
    const frames0 = await tab.evaluate(() => window.mixer?.frames ?? 0);
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const frames = (await tab.evaluate(() => window.mixer?.frames ?? 0)) - frames0;
    return { task: (await taskSeconds()) - task0, cpu: browserCpuSeconds() - cpu0, frames };
  };
  const base = await measure();
  await tab.evaluate(([w, h]) => window.startMixer(w, h), [WIDTH, HEIGHT]);
  await new Promise((r) => setTimeout(r, 2000));
  const mixed = await measure();

  const perFrame = (a, b) => ((a - b) / mixed.frames) * 1000;
  console.log(`Mixer: ${SOURCES} sources of 640×360 at ${FPS} fps into ${WIDTH}×${HEIGHT} at ${FPS} fps, ${SECONDS} s per phase, headless Chromium (software rendering)`);
  console.log(`| phase | main-thread tasks | browser CPU (all processes) | frames composed |`);
  console.log(`| --- | --- | --- | --- |`);
  console.log(`| sources alone | ${(base.task * 1000).toFixed(0)} ms | ${(base.cpu * 1000).toFixed(0)} ms | — |`);
  console.log(`| sources + mixer | ${(mixed.task * 1000).toFixed(0)} ms | ${(mixed.cpu * 1000).toFixed(0)} ms | ${mixed.frames} (${(mixed.frames / SECONDS).toFixed(1)} fps) |`);
  console.log(`\nper composed frame: ${perFrame(mixed.task, base.task).toFixed(2)} ms main-thread, ${perFrame(mixed.cpu, base.cpu).toFixed(2)} ms CPU in all browser processes`);
  console.log(`mixer share of one core: ${(((mixed.cpu - base.cpu) / SECONDS) * 100).toFixed(1)} % (CPU), ${(((mixed.task - base.task) / SECONDS) * 100).toFixed(1)} % (main thread)`);
} finally {
  await browser.close();
  await server.close();
}
