import { Peer, MemoryDriver, Driver, type PeerOptions, type DriverHandler, type DriverMessage } from '../../src/index.js';

/** Waits until `check()` is truthy (polling), failing with `what` after `timeout` ms. */
export async function until(check: () => unknown, what: string, timeout = 15000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A MemoryDriver that counts what is published through it (messages and bytes). */
export class CountingDriver extends MemoryDriver {
  published = 0;
  bytes = 0;
  seen: DriverMessage[] = [];
  override publish(namespace: string[], message: DriverMessage): void {
    this.published++;
    this.bytes += message.length;
    this.seen.push(message);
    super.publish(namespace, message);
  }
}

/** Makes `n` peers on one driver, each with the given options. */
export function makePeers(n: number, driver: Driver, options: PeerOptions = {}): Peer[] {
  return Array.from({ length: n }, () => new Peer({ driver, ...options }));
}

/** Joins all, then waits until each has `connection:connected` for every other. */
export async function formMesh(peers: Peer[], room: string): Promise<void> {
  await Promise.all(peers.map((p, i) => p.join({ room, metadata: { name: `peer${i}` } })));
  await until(
    () => peers.every((p) => [...p.connections.values()].filter((r) => r.state === 'connected').length === peers.length - 1),
    `a full mesh of ${peers.length}`,
    30000,
  );
}

export async function leaveAll(peers: Peer[]): Promise<void> {
  await Promise.all(peers.map((p) => p.leave()));
}

export type { DriverHandler };
