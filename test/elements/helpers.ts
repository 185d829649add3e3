import { fixture, html } from '@open-wc/testing';
import type { PeerixRemoteVideos, PeerixRoom } from '../../elements/index.js';

/**
 * Loads (and registers) the elements. Dynamically: Chromium here failed to
 * load test modules that import the elements statically (the same graph
 * loads fine through import()).
 */
export const loadElements = () => import('../../elements/index.js');

/** Waits until `check()` (or what it resolves to) is truthy (polling). */
export async function until(check: () => unknown, what: string, timeout = 15000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A unique room name per test. */
export const uniqueRoom = (base: string): string => `${base}-${Math.random().toString(36).slice(2)}`;

/** Resolves when every room has a connected connection to every other. */
export function connected(rooms: PeerixRoom[]): Promise<void> {
  return until(
    () => rooms.every((r) => [...r.connections.values()].filter((c) => c.state === 'connected').length === rooms.length - 1),
    `${rooms.length} rooms connected`,
    20000,
  );
}

/** Ana sends her camera; Ben shows it in a <peerix-remote-videos> styled `style`. */
export async function anaToBen(name: string, style = '') {
  const room = uniqueRoom(name);
  const wrapper = await fixture(html`<div>
    <peerix-room id="a" driver="memory" room=${room} name="Ana"><peerix-local-media></peerix-local-media></peerix-room>
    <peerix-room id="b" driver="memory" room=${room} name="Ben"><peerix-remote-videos style=${style}></peerix-remote-videos></peerix-room>
  </div>`);
  const a = wrapper.querySelector<PeerixRoom>('#a')!;
  const b = wrapper.querySelector<PeerixRoom>('#b')!;
  const videos = b.querySelector<PeerixRemoteVideos>('peerix-remote-videos')!;
  await connected([a, b]);
  await until(() => videos.count === 1, 'one tile');
  return { a, b, videos };
}
