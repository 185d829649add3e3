/** A rectangle on the mixer's canvas, in pixels. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type MixerLayout = 'grid' | 'speaker';

/** `n` equal cells, as square a grid as fits; a short last row is centred. */
export function gridCells(n: number, width: number, height: number): Rect[] {
  if (n <= 0) return [];
  const cols = Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / cols);
  const w = width / cols;
  const h = height / rows;
  const cells: Rect[] = [];
  for (let i = 0; i < n; i++) {
    const row = Math.floor(i / cols);
    const inRow = row === rows - 1 ? n - row * cols : cols;
    const offset = ((cols - inRow) * w) / 2;
    cells.push({ x: Math.round(offset + (i % cols) * w), y: Math.round(row * h), w: Math.round(w), h: Math.round(h) });
  }
  return cells;
}

/** The speaker (`index`) large on top; everyone else in a strip along the bottom quarter. */
export function speakerCells(n: number, width: number, height: number, index: number): Rect[] {
  if (n <= 0) return [];
  if (n === 1) return [{ x: 0, y: 0, w: width, h: height }];
  const main = Math.round(height * 0.75);
  const others = n - 1;
  const w = width / others;
  const cells: Rect[] = [];
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (i === index) cells.push({ x: 0, y: 0, w: width, h: main });
    else cells.push({ x: Math.round(k++ * w), y: main, w: Math.round(w), h: height - main });
  }
  return cells;
}

/** Where a `vw`×`vh` picture goes inside `box`, scaled to fit whole (letterboxed). */
export function contain(vw: number, vh: number, box: Rect): Rect {
  if (!vw || !vh) return box;
  const scale = Math.min(box.w / vw, box.h / vh);
  const w = vw * scale;
  const h = vh * scale;
  return { x: box.x + (box.w - w) / 2, y: box.y + (box.h - h) / 2, w, h };
}
