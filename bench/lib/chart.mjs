// A small grouped-bar SVG chart, no dependencies: panels stacked one under the
// other, each with groups of bars along x and a linear y axis from 0.
//
//   renderBars({ title, panels: [{ title, unit, fmt, groups: [{ label, bars: [{ name, value, note }] }] }], colors })
//
// A bar with value null is drawn as a red ✗ (failed run, `note` its tooltip);
// otherwise `note` is a second label above the value (e.g. "0 lost").

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const PALETTE = ['#1f6feb', '#8250df', '#d29922', '#2da44e', '#6e7781', '#cf222e'];

export function renderBars({ title, panels, colors = {}, width = 960, panelHeight = 220 }) {
  const names = [...new Set(panels.flatMap((p) => p.groups.flatMap((g) => g.bars.map((b) => b.name))))];
  const color = (name) => colors[name] ?? PALETTE[names.indexOf(name) % PALETTE.length];
  const parts = [`<text x="20" y="24" font-size="16" font-weight="bold">${esc(title)}</text>`];
  let y = 40;
  for (const panel of panels) {
    const fmt = panel.fmt ?? ((v) => `${Math.round(v)}`);
    const x0 = 70;
    const plotW = width - x0 - 30;
    const top = y + 30;
    const h = panelHeight - 70;
    const max = Math.max(1e-9, ...panel.groups.flatMap((g) => g.bars.map((b) => b.value ?? 0))) * 1.2;
    parts.push(`<text x="20" y="${y + 12}" font-size="13" font-weight="bold">${esc(panel.title)}</text>`);
    for (let i = 0; i <= 4; i++) {
      const yy = top + h - (h * i) / 4;
      parts.push(`<line x1="${x0}" y1="${yy}" x2="${x0 + plotW}" y2="${yy}" stroke="${i ? '#eee' : '#999'}"/><text x="${x0 - 6}" y="${yy + 4}" font-size="10" text-anchor="end">${esc(fmt((max * i) / 4))}</text>`);
    }
    parts.push(`<text x="${x0 + 4}" y="${top + 10}" font-size="10" fill="#555">${esc(panel.unit ?? '')}</text>`);
    const gw = plotW / Math.max(1, panel.groups.length);
    panel.groups.forEach((g, gi) => {
      const bw = Math.min(40, (gw - 16) / Math.max(1, g.bars.length));
      const gx = x0 + gi * gw + (gw - bw * g.bars.length) / 2;
      g.bars.forEach((b, bi) => {
        const bx = gx + bi * bw;
        if (b.value == null) {
          parts.push(`<text x="${bx + bw / 2}" y="${top + h - 4}" font-size="12" text-anchor="middle" fill="#cf222e">✗<title>${esc(`${b.name}: ${b.note ?? 'failed'}`)}</title></text>`);
          return;
        }
        const bh = (b.value / max) * h;
        parts.push(`<rect x="${bx + 2}" y="${top + h - bh}" width="${bw - 4}" height="${bh}" fill="${color(b.name)}"><title>${esc(`${b.name}: ${fmt(b.value)}`)}</title></rect>`);
        parts.push(`<text x="${bx + bw / 2}" y="${top + h - bh - 3}" font-size="9" text-anchor="middle">${esc(fmt(b.value))}</text>`);
        if (b.note) parts.push(`<text x="${bx + bw / 2}" y="${top + h - bh - 13}" font-size="9" text-anchor="middle" fill="#555">${esc(b.note)}</text>`);
      });
      parts.push(`<text x="${x0 + gi * gw + gw / 2}" y="${top + h + 16}" font-size="11" text-anchor="middle">${esc(g.label)}</text>`);
    });
    y += panelHeight;
  }
  names.forEach((name, i) => parts.push(`<rect x="${20 + i * 235}" y="${y}" width="12" height="12" fill="${color(name)}"/><text x="${36 + i * 235}" y="${y + 10}" font-size="12">${esc(name)}</text>`));
  const H = y + 30;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H}" viewBox="0 0 ${width} ${H}" font-family="system-ui, sans-serif">\n<rect width="${width}" height="${H}" fill="#fff"/>\n${parts.join('\n')}\n</svg>\n`;
}
