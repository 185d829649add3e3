import { contain, gridCells, speakerCells, type MixerLayout, type Rect } from './layout.js';

/** One picture to draw: a playing <video> and the name under it. */
export interface Tile {
  video: HTMLVideoElement;
  name: string;
}

const MAX_NAME_CHARS = 40;

/** Draws tiles onto a canvas in a grid or speaker layout, names under each. */
export class Compositor {
  readonly canvas: HTMLCanvasElement;
  readonly #ctx: CanvasRenderingContext2D;
  background = '#111';

  constructor(width: number, height: number) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = width;
    this.canvas.height = height;
    const ctx = this.canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('no 2D canvas context');
    this.#ctx = ctx;
    this.#clear();
  }

  /** Draws one frame; `speaker` is the index of the large tile in the speaker layout. */
  draw(tiles: Tile[], layout: MixerLayout, speaker: number): void {
    const { width, height } = this.canvas;
    this.#clear();
    const cells = layout === 'speaker' ? speakerCells(tiles.length, width, height, speaker) : gridCells(tiles.length, width, height);
    tiles.forEach((tile, i) => this.#drawTile(tile, cells[i]!));
  }

  #clear(): void {
    this.#ctx.fillStyle = this.background;
    this.#ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  #drawTile({ video, name }: Tile, cell: Rect): void {
    const ctx = this.#ctx;
    const pad = 2;
    const font = Math.max(10, Math.min(24, Math.round(cell.h * 0.07)));
    const strip = name ? font + 8 : 0;
    const box = { x: cell.x + pad, y: cell.y + pad, w: cell.w - 2 * pad, h: cell.h - 2 * pad - strip };
    if (box.w <= 0 || box.h <= 0) return;
    if (video.readyState >= 2 && video.videoWidth) {
      const at = contain(video.videoWidth, video.videoHeight, box);
      ctx.drawImage(video, at.x, at.y, at.w, at.h);
    }
    if (!name) return;
    const label = name.length > MAX_NAME_CHARS ? `${name.slice(0, MAX_NAME_CHARS - 1)}…` : name;
    ctx.font = `${font}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = '#fff';
    ctx.fillText(label, cell.x + cell.w / 2, box.y + box.h + strip / 2, box.w);
  }
}
