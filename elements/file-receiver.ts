import type { PeerixErrorCode, RemotePeer } from '../src/index.js';
import { remoteName } from './names.js';
import { decodeData, fileChecksum, type Control } from './file-transfer-protocol.js';
import { formatSize } from './file-size.js';
import { isFinished, type Live, type Transfer, type TransferState } from './file-transfer-types.js';

/** Incoming transfers at once per remote; more offers are declined as busy. */
const MAX_INCOMING_PER_PEER = 8;
/** Blob parts merged into one after this many, to keep the part list short. */
const MERGE_PARTS = 64;
/** Ended transfer ids remembered, so their late slices are not reported. */
const MAX_ENDED = 256;

interface Incoming {
  transfer: Live;
  id: number;
  parts: Blob[];
  received: number;
  /** One SHA-256 per data message, computed off the main thread by WebCrypto. */
  digests: Promise<ArrayBuffer>[];
}

/** What the receiving side needs from the shared transfer list (`FileTransfers`). */
export interface ReceiverHooks {
  /** The receive limit in bytes. */
  maxSize(): number;
  add(init: Omit<Transfer, 'key' | 'started' | 'bytes' | 'peerName'>): Transfer;
  progress(transfer: Transfer, bytes: number): void;
  finish(transfer: Transfer, state: TransferState, message: string): void;
  control(remote: RemotePeer, message: Control): void;
  error(code: PeerixErrorCode, message: string, remote?: RemotePeer): void;
  changed(): void;
  completed(transfer: Transfer): void;
}

/**
 * Files coming in: offers accepted or declined, slices stored as they arrive
 * (never the announced size up front), the checksum verified at the end.
 */
export class FileReceiver {
  #hooks: ReceiverHooks;
  #incoming = new Map<string, Incoming>();
  /** Ids of transfers that just ended, whose last data messages may still arrive. */
  #ended = new Set<string>();

  constructor(hooks: ReceiverHooks) {
    this.#hooks = hooks;
  }

  offer(remote: RemotePeer, offer: Extract<Control, { t: 'offer' }>): void {
    const hooks = this.#hooks;
    const key = `${remote.id}:${offer.id}`;
    if (this.#incoming.has(key)) return hooks.error('ERR_UNEXPECTED', `${remoteName(remote)} offered transfer ${offer.id} twice`, remote);
    const limit = hooks.maxSize();
    if (offer.size > limit) {
      hooks.control(remote, { t: 'decline', id: offer.id, reason: 'too-large' });
      const message = `Refused ${offer.name} (${formatSize(offer.size)}): larger than the limit of ${formatSize(limit)}.`;
      hooks.add({ direction: 'in', name: offer.name, size: offer.size, type: offer.type, remote, state: 'failed', message });
      hooks.error('ERR_TOO_LARGE', message, remote);
      return hooks.changed();
    }
    if (this.#from(remote).length >= MAX_INCOMING_PER_PEER) {
      hooks.control(remote, { t: 'decline', id: offer.id, reason: 'busy' });
      return hooks.error('ERR_LIMIT', `${remoteName(remote)} sends more than ${MAX_INCOMING_PER_PEER} files at once; declined ${offer.name}`, remote);
    }
    const transfer = hooks.add({ direction: 'in', name: offer.name, size: offer.size, type: offer.type, remote, state: 'receiving' }) as Live;
    this.#incoming.set(key, { transfer, id: offer.id, parts: [], received: 0, digests: [] });
    hooks.changed();
  }

  data(remote: RemotePeer, data: ArrayBuffer): void {
    const hooks = this.#hooks;
    const decoded = decodeData(data);
    if (!decoded) return hooks.error('ERR_DECODE', `malformed file data from ${remoteName(remote)}`, remote);
    const key = `${remote.id}:${decoded.id}`;
    const incoming = this.#incoming.get(key);
    if (!incoming) {
      // Slices already on their way when a transfer was cancelled are expected.
      if (!this.#ended.has(key)) hooks.error('ERR_UNEXPECTED', `file data for unknown transfer ${decoded.id} from ${remoteName(remote)}`, remote);
      return;
    }
    const { transfer } = incoming;
    const total = incoming.received + decoded.bytes.length;
    if (total > transfer.size) {
      this.#drop(key);
      hooks.control(remote, { t: 'decline', id: incoming.id, reason: 'invalid' });
      hooks.finish(transfer, 'failed', `${transfer.peerName} sent more than the announced ${formatSize(transfer.size)}.`);
      return hooks.error('ERR_TOO_LARGE', `${remoteName(remote)} overran the announced size of ${transfer.name}`, remote);
    }
    incoming.received = total;
    incoming.digests.push(crypto.subtle.digest('SHA-256', decoded.bytes));
    incoming.parts.push(new Blob([decoded.bytes]));
    if (incoming.parts.length >= MERGE_PARTS) incoming.parts = [new Blob(incoming.parts)];
    hooks.progress(transfer, total);
  }

  /** The sender finished (`end`: verify) or gave up (`abort`). */
  async senderSaid(remote: RemotePeer, message: Extract<Control, { t: 'end' | 'abort' }>): Promise<void> {
    const hooks = this.#hooks;
    const key = `${remote.id}:${message.id}`;
    const incoming = this.#incoming.get(key);
    if (!incoming) return;
    const { transfer } = incoming;
    if (message.t === 'abort') {
      this.#drop(key);
      return hooks.finish(transfer, 'cancelled', `${transfer.peerName} cancelled it.`);
    }
    const { received: size, parts, digests } = incoming;
    this.#drop(key);
    transfer.state = 'verifying';
    hooks.changed();
    let checksum = '';
    try {
      checksum = await fileChecksum(digests);
    } catch {
      // WebCrypto failed: treated as a mismatch below.
    }
    if (isFinished(transfer.state)) return;
    transfer.checksum = checksum;
    if (size !== transfer.size || checksum !== message.checksum) {
      hooks.control(remote, { t: 'decline', id: message.id, reason: size !== transfer.size ? 'invalid' : 'hash-mismatch' });
      hooks.finish(transfer, 'failed', size !== transfer.size ? `Incomplete: ${formatSize(size)} of ${formatSize(transfer.size)} arrived.` : 'Damaged: the checksum does not match. The file was discarded.');
      return hooks.error('ERR_AUTH', `${transfer.name} from ${remoteName(remote)} failed its SHA-256 check`, remote);
    }
    transfer.blob = new Blob(parts, { type: transfer.type });
    // The link serves the bytes as a download whatever the declared type: never rendered as a page.
    transfer.url = URL.createObjectURL(new Blob([transfer.blob], { type: 'application/octet-stream' }));
    hooks.control(remote, { t: 'done', id: message.id });
    hooks.finish(transfer, 'done', '');
    hooks.completed(transfer);
  }

  /** The engine reports a large message arriving: attribute it when only one file from that peer is on its way. */
  partial(remote: RemotePeer, received: number, total: number): void {
    const active = this.#from(remote);
    if (active.length !== 1 || received >= total) return;
    const incoming = active[0]!;
    this.#hooks.progress(incoming.transfer, Math.min(incoming.transfer.size, incoming.received + Math.max(0, received - 5)));
  }

  /** We cancel an incoming transfer: the sender is told. */
  cancel(transfer: Transfer): void {
    for (const [key, incoming] of this.#incoming) {
      if (incoming.transfer !== transfer) continue;
      this.#drop(key);
      this.#hooks.control(incoming.transfer.remote, { t: 'decline', id: incoming.id, reason: 'cancelled' });
    }
  }

  /** The connection (or channel) to `remote` is gone: its files fail. */
  lost(remote: RemotePeer): void {
    for (const [key, incoming] of this.#incoming) {
      if (incoming.transfer.remote.id !== remote.id) continue;
      this.#drop(key);
      this.#hooks.finish(incoming.transfer, 'failed', `The connection to ${incoming.transfer.peerName} was lost.`);
    }
  }

  #from(remote: RemotePeer): Incoming[] {
    return [...this.#incoming.values()].filter((i) => i.transfer.remote.id === remote.id);
  }

  #drop(key: string): void {
    const incoming = this.#incoming.get(key);
    if (!incoming) return;
    incoming.parts = [];
    incoming.digests = [];
    this.#incoming.delete(key);
    this.#ended.add(key);
    if (this.#ended.size > MAX_ENDED) this.#ended.delete(this.#ended.values().next().value!);
  }
}
