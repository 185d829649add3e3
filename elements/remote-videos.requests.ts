import type { MediaWant, RemotePeer } from '../src/index.js';

/** Frame heights a tile asks for: the smallest step at least as high as the tile (in device pixels). Above the last: no cap. */
export const HEIGHT_STEPS = [180, 360, 720] as const;

/** What one tile needs, as `<peerix-remote-videos>` sees it. */
export interface RequestTile {
  key: string;
  remote: RemotePeer;
  label: string;
  stream: MediaStream;
  /** The tile's element (observed for visibility and size), once rendered. */
  element: Element | null;
  /** Screen shares keep their video whatever `max-videos` says. */
  screen: boolean;
}

interface Seen {
  tile: RequestTile;
  element: Element | null;
  visible: boolean;
  /** Height in device pixels (0 until measured). */
  height: number;
  /** The last request sent, as JSON ('' = none yet: the sender sends everything). */
  sent: string;
}

/** The step of `HEIGHT_STEPS` for a tile `height` device pixels high, or 0 for no cap. */
export function heightStep(height: number): number {
  if (!(height > 0)) return 0;
  return HEIGHT_STEPS.find((step) => step >= height) ?? 0;
}

/**
 * Tells each sender what `<peerix-remote-videos>` shows of its stream: no video
 * for a tile off-screen, for every tile while the page is hidden, and for tiles
 * past `max-videos` (the least recent speakers); a height cap, in a few steps,
 * from the tile's size. A request goes out only when what a tile needs changes.
 */
export class VideoRequests {
  /** Video for at most this many camera tiles (the most recent speakers); 0 = no limit. */
  maxVideos = 0;
  #seen = new Map<string, Seen>();
  #spokeAt = new Map<string, number>();
  #intersection: IntersectionObserver | null = null;
  #resize: ResizeObserver | null = null;
  #byElement = new Map<Element, Seen>();
  #started = false;
  #onVisibility = (): void => this.update();

  /** Starts observing (when the element connects). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    document.addEventListener('visibilitychange', this.#onVisibility);
    if (typeof IntersectionObserver === 'function') {
      this.#intersection = new IntersectionObserver((entries) => {
        for (const entry of entries) {
          const seen = this.#byElement.get(entry.target);
          if (seen) seen.visible = entry.isIntersecting;
        }
        this.update();
      });
    }
    if (typeof ResizeObserver === 'function') {
      this.#resize = new ResizeObserver((entries) => {
        for (const entry of entries) {
          const seen = this.#byElement.get(entry.target);
          if (seen) seen.height = Math.round(entry.contentRect.height * (globalThis.devicePixelRatio || 1));
        }
        this.update();
      });
    }
    for (const seen of this.#seen.values()) this.#observe(seen);
  }

  /** Stops observing (when the element disconnects) and lifts every request it made: what it does not show, another view may. */
  stop(): void {
    this.#started = false;
    for (const seen of this.#seen.values()) this.#lift(seen);
    this.#seen.clear();
    this.#spokeAt.clear();
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#intersection?.disconnect();
    this.#resize?.disconnect();
    this.#intersection = this.#resize = null;
    this.#byElement.clear();
  }

  /** The tiles on show now (call after each render). */
  tiles(tiles: RequestTile[]): void {
    const keys = new Set(tiles.map((t) => t.key));
    for (const [key, seen] of this.#seen) {
      if (keys.has(key)) continue;
      this.#unobserve(seen);
      this.#lift(seen);
      this.#seen.delete(key);
      this.#spokeAt.delete(key);
    }
    for (const tile of tiles) {
      let seen = this.#seen.get(tile.key);
      if (!seen) {
        // Visible until the observer says otherwise: a new tile never starts without video.
        seen = { tile, element: null, visible: true, height: 0, sent: '' };
        this.#seen.set(tile.key, seen);
      }
      // A rebuilt connection is a new RemotePeer: its sender has heard nothing yet.
      if (seen.tile.remote !== tile.remote) seen.sent = '';
      seen.tile = tile;
      if (seen.element !== tile.element) {
        this.#unobserve(seen);
        seen.element = tile.element;
        this.#observe(seen);
      }
    }
    this.update();
  }

  /** `key` started speaking: it counts as the most recent speaker for `max-videos`. */
  spoke(key: string): void {
    this.#spokeAt.set(key, performance.now());
    if (this.maxVideos > 0) this.update();
  }

  /** Works out each tile's request and sends those that changed. */
  update(): void {
    const hidden = document.visibilityState === 'hidden';
    const allowed = this.#allowed();
    for (const seen of this.#seen.values()) {
      const { remote, label, key } = seen.tile;
      if (remote.state !== 'connected') continue;
      const step = heightStep(seen.height);
      const want: MediaWant = hidden || !seen.visible || !allowed.has(key) ? { video: false } : step ? { maxHeight: step } : {};
      const json = JSON.stringify(want);
      // Nothing asked yet and nothing to ask: the sender already sends everything.
      if (json === seen.sent || (seen.sent === '' && json === '{}')) continue;
      seen.sent = json;
      try {
        remote.request(label, want);
      } catch {
        // closed meanwhile: its tile goes with it
      }
    }
  }

  /** Of `tiles`, those left without video by `max-videos`. */
  paused(tiles: ReadonlyArray<Pick<RequestTile, 'key' | 'screen'>>): Set<string> {
    const allowed = this.#allowed(tiles);
    return new Set(tiles.filter((t) => !allowed.has(t.key)).map((t) => t.key));
  }

  /** The tiles that may have video: screen shares, and the `maxVideos` most recent speakers among the rest. */
  #allowed(tiles: ReadonlyArray<Pick<RequestTile, 'key' | 'screen'>> = [...this.#seen.values()].map((s) => s.tile)): Set<string> {
    if (!(this.maxVideos > 0)) return new Set(tiles.map((t) => t.key));
    const cameras = tiles.filter((t) => !t.screen);
    // Most recent speaker first; those who never spoke keep their order (first come, first shown).
    const ranked = cameras
      .map((t, i) => ({ key: t.key, at: this.#spokeAt.get(t.key) ?? -1, i }))
      .sort((a, b) => b.at - a.at || a.i - b.i)
      .slice(0, this.maxVideos);
    return new Set([...tiles.filter((t) => t.screen).map((t) => t.key), ...ranked.map((r) => r.key)]);
  }

  /** A tile no longer on show here: the sender goes back to sending everything (while it still shares that stream). */
  #lift(seen: Seen): void {
    const { remote, label, stream } = seen.tile;
    if (seen.sent === '' || seen.sent === '{}' || remote.state !== 'connected' || !remote.streams.includes(stream)) return;
    seen.sent = '';
    try {
      remote.request(label, {});
    } catch {
      // closed meanwhile
    }
  }

  #observe(seen: Seen): void {
    if (!seen.element || !this.#started) return;
    this.#byElement.set(seen.element, seen);
    this.#intersection?.observe(seen.element);
    this.#resize?.observe(seen.element);
  }

  #unobserve(seen: Seen): void {
    if (!seen.element) return;
    this.#byElement.delete(seen.element);
    this.#intersection?.unobserve(seen.element);
    this.#resize?.unobserve(seen.element);
  }
}
