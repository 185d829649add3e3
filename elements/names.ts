import type { RemotePeer } from '../src/index.js';

const MAX_NAME = 64;

/** A remote's display name: `metadata.name` when it is a string, else the start of its id. Always plain text. */
export function remoteName(remote: Pick<RemotePeer, 'id' | 'metadata'>): string {
  const name = remote.metadata?.name;
  if (typeof name === 'string' && name.trim()) return name.trim().slice(0, MAX_NAME);
  return `Peer ${remote.id.slice(0, 6)}`;
}
