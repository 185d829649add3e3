import { css, html, nothing, svg, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { RemotePeer } from '../src/index.js';

/** What one connection's badge is made of. Absent figures are unknown (yet). */
export interface QualityFigures {
  /** Round-trip time in milliseconds. */
  rtt?: number;
  /** Share of the incoming media packets lost since the last sample, 0–1. */
  loss?: number;
  /** Bits per second received on the connection since the last sample (media and data). */
  bitrate?: number;
}

export type QualityGrade = 'good' | 'fair' | 'poor';

/** The figures and the grade they make. */
export interface ConnectionQuality extends QualityFigures {
  grade: QualityGrade;
}

/**
 * Where the figures come from, one connection at a time (resolves `null` when there is
 * nothing to say). The default reads the connection's `getStats`; an engine-side
 * `remote.stats()` can be put in its place.
 */
export type QualitySource = (remote: RemotePeer) => Promise<QualityFigures | null>;

/** The grade: poor from 400 ms round trip or 5 % loss, fair from 150 ms or 1 %, else good. */
export function gradeOf({ rtt = 0, loss = 0 }: QualityFigures): QualityGrade {
  if (rtt >= 400 || loss >= 0.05) return 'poor';
  if (rtt >= 150 || loss >= 0.01) return 'fair';
  return 'good';
}

interface Sample {
  at: number;
  bytes: number;
  lost: number;
  received: number;
}

type Stat = Record<string, number | string | boolean | undefined>;

/** Figures from `remote.connection.getStats()`: the connection's active candidate pair and its incoming RTP streams. */
export function statsSource(): QualitySource {
  const last = new WeakMap<RemotePeer, Sample>();
  return async (remote) => {
    const report = await remote.connection.getStats();
    const all = [...(report as Map<string, Stat>).values()];
    const transport = all.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
    const pair = transport
      ? report.get(transport.selectedCandidatePairId as string) as Stat | undefined
      : all.find((s) => s.type === 'candidate-pair' && (s.selected || (s.nominated && s.state === 'succeeded')));
    if (!pair) return null;
    const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
    const inbound = all.filter((s) => s.type === 'inbound-rtp');
    const now: Sample = {
      at: performance.now(),
      bytes: n(pair.bytesReceived),
      lost: inbound.reduce((sum, s) => sum + n(s.packetsLost), 0),
      received: inbound.reduce((sum, s) => sum + n(s.packetsReceived), 0),
    };
    // The pair's current round trip (0 is a real figure on loopback), else the mean of its checks, else RTCP's.
    const known = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
    const seconds =
      known(pair.currentRoundTripTime) ??
      (n(pair.responsesReceived) ? n(pair.totalRoundTripTime) / n(pair.responsesReceived) : undefined) ??
      known(all.find((s) => s.type === 'remote-inbound-rtp')?.roundTripTime);
    const figures: QualityFigures = seconds === undefined ? {} : { rtt: seconds * 1000 };
    const before = last.get(remote);
    last.set(remote, now);
    if (before && now.at > before.at) {
      figures.bitrate = ((now.bytes - before.bytes) * 8 * 1000) / (now.at - before.at);
      const packets = now.received - before.received + (now.lost - before.lost);
      if (packets > 0) figures.loss = Math.max(0, now.lost - before.lost) / packets;
    }
    return figures;
  };
}

/**
 * Samples every connected remote of a host's peer every `interval` ms while the host is
 * connected, and updates the host when a figure changes. `of(remote)` is what to show.
 */
export class QualityMonitor implements ReactiveController {
  #host: ReactiveControllerHost;
  #remotes: () => Iterable<RemotePeer>;
  #source: QualitySource;
  #interval: number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #qualities = new WeakMap<RemotePeer, ConnectionQuality>();

  constructor(host: ReactiveControllerHost, remotes: () => Iterable<RemotePeer>, { source = statsSource(), interval = 2000 }: { source?: QualitySource; interval?: number } = {}) {
    this.#host = host;
    this.#remotes = remotes;
    this.#source = source;
    this.#interval = interval;
    host.addController(this);
  }

  /** The last figures for `remote`, once it has some. */
  of(remote: RemotePeer): ConnectionQuality | undefined {
    return this.#qualities.get(remote);
  }

  hostConnected(): void {
    this.#timer ??= setInterval(() => void this.#sample(), this.#interval);
  }

  hostDisconnected(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #sample(): Promise<void> {
    let changed = false;
    await Promise.all(
      [...this.#remotes()].map(async (remote) => {
        if (remote.state !== 'connected') return;
        const figures = await this.#source(remote).catch(() => null);
        if (!figures) return;
        const next: ConnectionQuality = { ...figures, grade: gradeOf(figures) };
        const before = this.#qualities.get(remote);
        if (before && describe(before) === describe(next)) return;
        this.#qualities.set(remote, next);
        changed = true;
      }),
    );
    if (changed) this.#host.requestUpdate();
  }
}

/** "good connection: 42 ms round trip, 0 % loss, 1.2 Mbit/s", with what is known. */
export function describe(q: ConnectionQuality): string {
  const figures = [
    q.rtt !== undefined && `${Math.round(q.rtt)} ms round trip`,
    q.loss !== undefined && `${(q.loss * 100).toFixed(q.loss < 0.1 ? 1 : 0)} % loss`,
    q.bitrate !== undefined && (q.bitrate >= 1e6 ? `${(q.bitrate / 1e6).toFixed(1)} Mbit/s` : `${Math.round(q.bitrate / 1e3)} kbit/s`),
  ].filter(Boolean);
  return `${q.grade} connection${figures.length ? `: ${figures.join(', ')}` : ''}`;
}

const BARS = [svg`<path d="M4 20v-4" />`, svg`<path d="M12 20v-9" />`, svg`<path d="M20 20V6" />`];

/**
 * A tile's connection badge: one to three bars (poor, fair, good), the grade and figures
 * in its tooltip and, for screen readers, as text. Nothing until there are figures.
 */
export function qualityBadge(q: ConnectionQuality | undefined) {
  if (!q) return nothing;
  const text = describe(q);
  const bars = q.grade === 'good' ? 3 : q.grade === 'fair' ? 2 : 1;
  return html`<span class="badge quality ${q.grade}" part="badge quality-badge ${q.grade}" title=${text}
    ><svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${BARS.slice(0, bars)}</svg
    ><span class="visually-hidden">${text}</span></span
  >`;
}

export const qualityStyles = css`
  .quality {
    display: inline-flex;
    align-items: center;
    color: var(--peerix-quality-good-color, #8ce99a);
  }
  .quality .icon {
    width: 1.1em;
    height: 1.1em;
    stroke-width: 3;
  }
  .quality.fair {
    color: var(--peerix-quality-fair-color, #ffd43b);
  }
  .quality.poor {
    color: var(--peerix-quality-poor-color, #ff8787);
  }
`;
