// Markdown table and a hand-written SVG chart from compare.mjs's results.
import { renderTrace } from './trace.mjs';
const ALL_LIBS = ['peerix', 'peerix-base', 'trystero', 'peerjs', 'simple-peer'];
/** The columns: `peerix-base` only in a run with BENCH_BASE. */
let LIBS = ALL_LIBS;
const columnsFor = (res) => (LIBS = ALL_LIBS.filter((l) => l !== 'peerix-base' || res.settings?.base));
const COLORS = { peerix: '#1f6feb', 'peerix-base': '#79c0ff', trystero: '#8250df', peerjs: '#d29922', 'simple-peer': '#2da44e', raw: '#6e7781' };

const ms = (x) => (x >= 10000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
const fail = (r) => `failed: ${r.failed}`;
const runsNote = (r) => (r.failures?.length ? ` — ${r.failures.length} of ${r.runs + r.failures.length} runs failed: ${r.failures[0]}` : '');
const cell = (r) => (!r ? '—' : r.failed ? fail(r) : `${ms(r.median)} (${ms(r.min)}–${ms(r.max)})${runsNote(r)}`);
const kb = (b) => (b >= 10240 ? `${(b / 1024).toFixed(1)} KB` : `${(b / 1024).toFixed(2)} KB`);
const ok = (r) => r && !r.failed;

function table(head, rows) {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** "0.83× peerjs" style ratios of Peerix against each other library (< 1: Peerix faster/smaller). */
function ratios(peerix, others, value) {
  if (!ok(peerix)) return '—';
  return others.filter(([, r]) => ok(r)).map(([name, r]) => `${(value(peerix) / value(r)).toFixed(2)}× ${name}`).join(', ') || '—';
}

export function renderMarkdown(res) {
  columnsFor(res);
  const out = [];
  const m = res.machine;
  out.push(`# Peerix beside other P2P libraries`);
  out.push('');
  out.push(`${res.date.slice(0, 10)} · ${res.browser} (headless) · ${m.nproc} cores (${m.cpu}), ${m.memoryGiB} GiB · Node ${m.node} · ` +
    `${m.netns ? 'private network namespace' : 'host network (no namespace)'} · ${res.durationSeconds} s for the whole run`);
  out.push('');
  out.push('Signaling: Peerix (MqttDriver, MQTT 5, encryption on) and Trystero (MQTT strategy) on one local Mosquitto 2; PeerJS on a local PeerServer (`peer`); ' +
    'simple-peer on a small WebSocket room relay. Every browser↔server WebSocket passes a counting proxy' +
    (res.settings.mqttVia === 'tcp' ? ' (for MQTT it feeds Mosquitto\'s plain listener: its WebSocket listener adds 100–200 ms per connection here; `BENCH_MQTT_VIA=ws` to use it)' : ' (in front of Mosquitto\'s WebSocket listener)') +
    '. ICE servers: none (host candidates on a veth). One browser context per peer.');
  out.push('');

  if (Object.keys(res.mesh).length || Object.keys(res.video).length) {
    out.push(`## Time from join to full mesh (median, min–max of ${res.settings.runs} runs)`);
    out.push('');
    out.push('From the first `join` call (connecting to the signaling server included) until every page has an open data channel to every other page; all peers join at once.');
    out.push('');
    const rows = [];
    for (const n of [2, 4, 6]) {
      const cells = LIBS.map((l) => res.mesh[l]?.[n]).map(cell);
      const p = res.mesh.peerix?.[n];
      rows.push([`N = ${n}`, ...cells, ratios(p, LIBS.slice(1).map((l) => [l, res.mesh[l]?.[n]]), (r) => r.median)]);
    }
    if (Object.keys(res.video).length) {
      const cells = LIBS.map((l) => res.video[l]).map(cell);
      rows.push(['first remote video frame, N = 2', ...cells, ratios(res.video.peerix, LIBS.slice(1).map((l) => [l, res.video[l]]), (r) => r.median)]);
    }
    out.push(table(['', ...LIBS, 'Peerix ÷ other (median)'], rows));
    out.push('');
    out.push('Target: no slower than the fastest other library, with encryption on (issue: ~0.42 s PeerJS/simple-peer, 1.1 s published Peerix, 1.26 s Trystero for N = 6).');
    out.push('');
  }

  if (Object.keys(res.trace ?? {}).length) {
    out.push('## Where the time goes: a trace of one join');
    out.push('');
    out.push('The browser\'s WebRTC and WebSocket steps, the same for every library, and Peerix\'s own debug lines; each row is when the last connection of the mesh reached that step, in ms after the first `join` call (`BENCH_ONLY=trace`).');
    out.push('');
    for (const [title, byLib] of Object.entries(res.trace)) out.push(renderTrace(title, byLib));
  }

  if (Object.keys(res.signaling).length) {
    out.push('## Signaling through the server to form the mesh');
    out.push('');
    out.push('msgs/bytes: signaling messages the clients sent (MQTT PUBLISH packets, PeerJS OFFER/ANSWER/CANDIDATE…, relay join/signal frames) and their size on the wire (for MQTT the whole PUBLISH packet; "payload" leaves out its header, topic, packet id and properties, as Peerix\'s own bench:engine counts). ' +
      'all: every WebSocket frame and payload byte in both directions (connect, subscribe, acks, keep-alives, fan-out), from the first join until 1 s after the mesh formed.');
    out.push('');
    const rows = [];
    const keys = Object.keys(res.signaling.peerix ?? res.signaling[LIBS.find((l) => res.signaling[l])] ?? {});
    for (const key of keys) {
      const n = Number(key.split(' ')[0]);
      const pairs = (n * (n - 1)) / 2;
      rows.push([`N = ${key}`, ...LIBS.map((l) => {
        const r = res.signaling[l]?.[key];
        if (!r) return '—';
        if (r.failed) return fail(r);
        const payload = r.payloadBytes !== r.sentBytes ? ` (payload ${Math.round(r.payloadBytes / pairs)} B)` : '';
        return `${r.sent} msgs / ${kb(r.sentBytes)}; per pair ${(r.sent / pairs).toFixed(1)} msgs, ${Math.round(r.sentBytes / pairs)} B${payload}; all: ${r.upFrames + r.downFrames} frames / ${kb(r.upBytes + r.downBytes)}`;
      })]);
    }
    rows.push(['idle mesh of 4, per 10 s', ...LIBS.map((l) => {
      const r = res.idle[l];
      if (!r) return '—';
      if (r.failed) return fail(r);
      return `${r.sent} msgs + ${r.keepalives} keep-alives; all: ${r.upFrames + r.downFrames} frames / ${kb(r.upBytes + r.downBytes)}`;
    })]);
    out.push(table(['', ...LIBS], rows));
    out.push('');
    out.push('Targets: ≤ 4 messages and ≤ 600 bytes per pair for a sequential join of 2; a mesh of 8 in ≤ 72 messages (issue: 1.5 KB published Peerix, 2.4–2.6 KB others for 2 peers).');
    out.push('');
  }

  if (res.sweep) {
    const raw = res.sweep.raw;
    out.push('## Send window sweep: Peerix, 64 KiB messages with onProgress (MB/s, median; × raw)', '');
    out.push(`Raw RTCDataChannel between the window runs: ${ok(raw) ? `${raw.median.toFixed(1)} MB/s (${raw.min.toFixed(1)}–${raw.max.toFixed(1)}, ${raw.runs} runs)` : raw?.failed ?? '—'}. High mark : low mark (\`bufferedAmountLowThreshold\`).`, '');
    out.push(table(['window', 'MB/s (min–max)', '× raw'], Object.entries(res.sweep.windows).map(([name, r]) => [
      name,
      ok(r) ? `${r.median.toFixed(1)} (${r.min.toFixed(1)}–${r.max.toFixed(1)})` : `failed: ${r.failed}`,
      ok(r) && ok(raw) ? `${(r.median / raw.median).toFixed(2)}×` : '—',
    ])), '');
  }
  if (Object.keys(res.throughput).length) {
    out.push(`## Data channel throughput, 32 MiB between two pages (MB/s, median of ${res.settings.throughputRuns}; × raw)`);
    out.push('');
    out.push(`raw: a bare RTCDataChannel with a bufferedAmount / bufferedAmountLowThreshold loop (${(res.settings.rawWindow?.[0] ?? 1048576) / 1024} KiB high, ${(res.settings.rawWindow?.[1] ?? 262144) / 1024} KiB low; \`BENCH_RAW_WINDOW=high,low\`). A first 4 MiB transfer warms each pair up and is not counted; on this shared 2-core machine single transfers vary ±30 %, so a ratio above 1× means "at the limit", not "faster than the channel". ` +
      'Peerix: `peer.send` with `onProgress`; Trystero: an action\'s `send` (one at a time); PeerJS: `DataConnection.send` (binary serialization); simple-peer: its stream `write` (with `drain`). Timed from the first send to the last byte received.');
    out.push('');
    const cols = ['raw', ...LIBS];
    const rows = [16384, 65536].map((size) => {
      const raw = res.throughput.raw?.[size];
      return [`${size / 1024} KiB messages`, ...cols.map((l) => {
        const r = res.throughput[l]?.[size];
        if (!r) return '—';
        if (r.failed) return fail(r);
        const rel = l !== 'raw' && ok(raw) ? ` · ${(r.median / raw.median).toFixed(2)}×` : '';
        return `${r.median.toFixed(1)} (${r.min.toFixed(1)}–${r.max.toFixed(1)})${rel}`;
      })];
    });
    out.push(table(['', ...cols], rows));
    out.push('');
    out.push('Target: Peerix ≥ 0.95× raw for 64 KiB messages with progress on (issue: ~39 MB/s raw, others 0.38×–0.98×).');
    out.push('');
  }

  if (Array.isArray(res.sizes) && res.sizes.length) {
    out.push('## Bundle size (esbuild --minify, then gzip -9)');
    out.push('');
    out.push(table(['what', 'minified', 'gzip', 'target'], res.sizes.map((r) => {
      let target = '';
      if (/engine core/.test(r.name)) target = '≤ 7 KB';
      else if (/driver/.test(r.group)) target = '≤ 1 KB';
      else if (/Lit \(engine/.test(r.name)) target = '≤ 28 KB';
      return [`${r.group}: ${r.name}${r.note ? ` (${r.note})` : ''}`, r.error ? `failed: ${r.error}` : kb(r.min), r.error ? '' : kb(r.gzip), target];
    })));
    out.push('');
    out.push('Chat apps: the same "join a room, print and send messages" app per library (bench/pages/apps/), client libraries included (mqtt.js for Peerix and Trystero). KB = 1024 bytes.');
    out.push('');
  } else if (res.sizes?.failed) {
    out.push(`## Bundle size\n\nfailed: ${res.sizes.failed}\n`);
  }

  if (Object.keys(res.cpu).length) {
    out.push(`## CPU of a 6-page mesh with fake video (${res.settings.cpuSeconds} s, every Chromium process)`);
    out.push('');
    const rows = Object.entries(res.cpu).map(([l, r]) => (r.failed ? [l, fail(r), '', '', '', ''] : [l, `${r.cpuSeconds.toFixed(1)} s (${r.cores.toFixed(2)} cores)`, `${r.streams} of ${r.expectedStreams}`, `${r.fps.toFixed(0)}`, `${r.cpuMsPerFrame.toFixed(2)} ms`, `${r.processes}`]));
    out.push(table(['library', 'CPU time (utime+stime)', 'remote videos showing frames', 'video frames decoded / s (all streams)', 'CPU per decoded frame', 'processes'], rows));
    out.push('');
    out.push('320×240 at 15 fps fake camera on each page, 30 remote streams. On a 2-core machine the mesh can saturate the CPU: compare CPU per decoded frame as well as CPU time.');
    out.push('');
  }
  return out.join('\n');
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Three panels: mesh time per N, throughput × raw, signaling bytes for 2 peers in turn. */
export function renderSvg(res) {
  columnsFor(res);
  const W = 960;
  const panelH = 230;
  const parts = [];
  let y = 40;
  parts.push(`<text x="20" y="24" font-size="16" font-weight="bold">Peerix beside other P2P libraries — ${esc(res.browser)}, ${res.machine.nproc} cores, ${res.date.slice(0, 10)}</text>`);

  const panel = (title, groups, unit, fmt) => {
    // groups: [{ label, bars: [{ lib, value, min, max, failed }] }]
    const x0 = 70;
    const plotW = W - x0 - 30;
    const top = y + 30;
    const h = panelH - 70;
    const values = groups.flatMap((g) => g.bars.filter((b) => !b.failed).map((b) => b.max ?? b.value));
    const max = Math.max(1e-9, ...values) * 1.1;
    parts.push(`<text x="20" y="${y + 12}" font-size="13" font-weight="bold">${esc(title)}</text>`);
    parts.push(`<line x1="${x0}" y1="${top + h}" x2="${x0 + plotW}" y2="${top + h}" stroke="#999"/>`);
    for (let i = 0; i <= 4; i++) {
      const v = (max / 4) * i;
      const yy = top + h - (v / max) * h;
      parts.push(`<line x1="${x0}" y1="${yy}" x2="${x0 + plotW}" y2="${yy}" stroke="#eee"/><text x="${x0 - 6}" y="${yy + 4}" font-size="10" text-anchor="end">${esc(fmt(v))}</text>`);
    }
    parts.push(`<text x="${x0 + 4}" y="${top + 10}" font-size="10" fill="#555">${esc(unit)}</text>`);
    const gw = plotW / Math.max(1, groups.length);
    groups.forEach((g, gi) => {
      const bw = Math.min(36, (gw - 20) / Math.max(1, g.bars.length));
      const gx = x0 + gi * gw + (gw - bw * g.bars.length) / 2;
      g.bars.forEach((b, bi) => {
        const bx = gx + bi * bw;
        if (b.failed) {
          parts.push(`<text x="${bx + bw / 2}" y="${top + h - 4}" font-size="9" text-anchor="middle" fill="#cf222e">✗</text>`);
          return;
        }
        const bh = (b.value / max) * h;
        parts.push(`<rect x="${bx + 2}" y="${top + h - bh}" width="${bw - 4}" height="${bh}" fill="${COLORS[b.lib]}"><title>${esc(`${b.lib}: ${fmt(b.value)}`)}</title></rect>`);
        if (b.min != null && b.max != null) {
          const y1 = top + h - (b.min / max) * h;
          const y2 = top + h - (b.max / max) * h;
          const cx = bx + bw / 2;
          parts.push(`<line x1="${cx}" y1="${y1}" x2="${cx}" y2="${y2}" stroke="#222"/><line x1="${cx - 4}" y1="${y2}" x2="${cx + 4}" y2="${y2}" stroke="#222"/><line x1="${cx - 4}" y1="${y1}" x2="${cx + 4}" y2="${y1}" stroke="#222"/>`);
        }
      });
      parts.push(`<text x="${x0 + gi * gw + gw / 2}" y="${top + h + 16}" font-size="11" text-anchor="middle">${esc(g.label)}</text>`);
    });
    y += panelH;
  };

  const bar = (lib, r, pick = (x) => x) => (!r || r.failed ? { lib, failed: true } : { lib, value: pick(r).median, min: pick(r).min, max: pick(r).max });
  panel('Time from join to full mesh (median, whiskers min–max) — lower is better',
    [...[2, 4, 6].map((n) => ({ label: `N = ${n}`, bars: LIBS.map((l) => bar(l, res.mesh[l]?.[n])) })),
      { label: 'first video frame, N = 2', bars: LIBS.map((l) => bar(l, res.video[l])) }],
    'ms', (v) => `${Math.round(v)}`);

  const raw = res.throughput.raw ?? {};
  panel('Data channel throughput, 32 MiB — higher is better (raw RTCDataChannel in grey)',
    [16384, 65536].map((size) => ({ label: `${size / 1024} KiB messages`, bars: ['raw', ...LIBS].map((l) => bar(l, res.throughput[l]?.[size])) })),
    'MB/s', (v) => v.toFixed(0));

  const sig = (l, key) => { const r = res.signaling[l]?.[key]; return !r || r.failed ? { lib: l, failed: true } : { lib: l, value: r.sentBytes }; };
  panel('Signaling bytes the clients sent to form the mesh — lower is better',
    ['2 in turn', '2 at once', '4 in turn'].map((key) => ({ label: `N = ${key}`, bars: LIBS.map((l) => sig(l, key)) })),
    'bytes', (v) => `${Math.round(v)}`);

  const legend = ['raw', ...LIBS].map((l, i) => `<rect x="${20 + i * 120}" y="${y}" width="12" height="12" fill="${COLORS[l]}"/><text x="${36 + i * 120}" y="${y + 10}" font-size="12">${l}</text>`).join('');
  parts.push(legend);
  const H = y + 30;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif">\n<rect width="${W}" height="${H}" fill="#fff"/>\n${parts.join('\n')}\n</svg>\n`;
}
