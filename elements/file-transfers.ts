import { PeerixError, type Peer, type PeerixErrorCode, type RemotePeer } from '../src/index.js';
import { remoteName } from './names.js';
import {
  SLICE_SIZE,
  WINDOW,
  decodeControl,
  encodeControl,
  encodeData,
  fileChecksum,
  safeName,
  safeType,
  type Control,
  type DeclineReason,
} from './file-transfer-protocol.js';
import { formatSize } from './file-size.js';
import { FileReceiver } from './file-receiver.js';
import { isFinished, type Live, type Transfer, type TransferState } from './file-transfer-types.js';

// The view of a transfer travels with the transfers (in their chunk): there is nothing to show before they load.
export { renderTransfer } from './file-transfer-view.js';

export type { Transfer, TransferState } from './file-transfer-types.js';

/** What a file element gives the shared transfer list. */
export interface TransferClient {
  /** This element's `max-size` in bytes (Infinity when unset). */
  readonly maxSizeBytes: number;
  transfersChanged(): void;
  fileCompleted(transfer: Transfer): void;
  transferError(error: PeerixError, remote?: RemotePeer): void;
}

/** The peer events the transfers follow. */
export type TransferEvent = 'channel:message' | 'channel:progress' | 'channel:close' | 'connection:closed' | 'connection:failed';

interface Recipient {
  transfer: Live;
  inFlight: Set<Promise<void>>;
}

interface Outgoing {
  id: number;
  file: Blob;
  recipients: Map<string, Recipient>;
}

/** Bytes that may wait in a channel's send queue before the next slice goes. */
const QUEUE_LIMIT = 256 * 1024;
/** Finished transfers kept in the list (their download links with them). */
const MAX_KEPT = 100;
/** Default receive limit when no element sets `max-size`. */
export const DEFAULT_MAX_SIZE = 2 * 1024 ** 3;

const managers = new WeakMap<Peer, Map<string, FileTransfers>>();
let keySeed = 0;

/**
 * The file transfers of one `Peer` on one channel label, shared by every
 * element attached to them (a `<peerix-file-share>` and a `<peerix-chat files>`
 * in the same room see the same list, and a file arrives once).
 */
export class FileTransfers {
  /**
   * The manager for `peer` and `label`, created on first use; pair with `release`.
   * `backlog`: events that arrived while this code loaded, handled by a new manager first.
   */
  static acquire(peer: Peer, label: string, client: TransferClient, backlog: ReadonlyArray<[TransferEvent, unknown]> = []): FileTransfers {
    let byLabel = managers.get(peer);
    if (!byLabel) managers.set(peer, (byLabel = new Map()));
    let manager = byLabel.get(label);
    if (!manager) byLabel.set(label, (manager = new FileTransfers(peer, label, backlog)));
    manager.#clients.add(client);
    return manager;
  }

  readonly peer: Peer;
  readonly label: string;
  #clients = new Set<TransferClient>();
  #transfers: Transfer[] = [];
  #outgoing = new Map<number, Outgoing>();
  #receiver: FileReceiver;
  #nextId = (Math.random() * 0x7fffffff) >>> 0;
  #unsubscribe: () => void;

  private constructor(peer: Peer, label: string, backlog: ReadonlyArray<[TransferEvent, unknown]>) {
    this.peer = peer;
    this.label = label;
    this.#receiver = new FileReceiver({
      maxSize: () => this.maxSize,
      add: (init) => this.#add(init),
      progress: (transfer, bytes) => this.#progress(transfer, bytes),
      finish: (transfer, state, message) => this.#finish(transfer, state, message),
      control: (remote, message) => this.#control(remote, message),
      error: (code, message, remote) => this.#error(code, message, remote),
      changed: () => this.#changed(),
      completed: (transfer) => this.#completed(transfer),
    });
    peer.open({ label, ordered: true });
    const onMessage = ({ remote, label: l, data }: { remote: RemotePeer; label: string; data: string | ArrayBuffer }) => {
      if (l === label) this.#receive(remote, data);
    };
    const onProgress = ({ remote, label: l, received, total }: { remote: RemotePeer; label: string; received: number; total: number }) => {
      if (l === label) this.#receiver.partial(remote, received, total);
    };
    const onGone = ({ remote, label: l }: { remote: RemotePeer; label?: string }) => {
      if (l === undefined || l === label) this.#lost(remote);
    };
    peer.on('channel:message', onMessage);
    peer.on('channel:progress', onProgress);
    peer.on('channel:close', onGone);
    peer.on('connection:closed', onGone);
    peer.on('connection:failed', onGone);
    this.#unsubscribe = () => {
      peer.off('channel:message', onMessage);
      peer.off('channel:progress', onProgress);
      peer.off('channel:close', onGone);
      peer.off('connection:closed', onGone);
      peer.off('connection:failed', onGone);
    };
    for (const [type, event] of backlog) (type === 'channel:message' ? onMessage : type === 'channel:progress' ? onProgress : onGone)(event as never);
  }

  /** Detaches `client`; the last one out stops every transfer and frees its memory. */
  release(client: TransferClient): void {
    this.#clients.delete(client);
    if (this.#clients.size) return;
    for (const t of this.#transfers) if (!isFinished(t.state)) this.cancel(t);
    for (const t of this.#transfers) if (t.url) URL.revokeObjectURL(t.url);
    this.#transfers = [];
    this.#unsubscribe();
    managers.get(this.peer)?.delete(this.label);
  }

  /** Every transfer on show, oldest first. */
  get transfers(): readonly Transfer[] {
    return this.#transfers;
  }

  /** The receive and send limit: the smallest `max-size` of the attached elements. */
  get maxSize(): number {
    let limit = Infinity;
    for (const c of this.#clients) limit = Math.min(limit, c.maxSizeBytes);
    return limit === Infinity ? DEFAULT_MAX_SIZE : limit;
  }

  /**
   * Sends each file to every connected peer (or to the peer whose id is `to`).
   * Returns the transfers, one per file and recipient; a file over the limit,
   * or with nobody to send to, comes back as one failed transfer saying why.
   */
  send(files: Iterable<File>, { to }: { to?: string } = {}): Transfer[] {
    const remotes = [...this.peer.connections.values()].filter((r) => r.state === 'connected' && (to === undefined || r.id === to));
    const created: Transfer[] = [];
    for (const file of files) {
      const name = safeName(file.name);
      const type = safeType(file.type);
      const limit = this.maxSize;
      let refusal = '';
      if (file.size > limit) refusal = `${name} is ${formatSize(file.size)}, larger than the limit of ${formatSize(limit)}: not sent.`;
      else if (!remotes.length) refusal = to === undefined ? `Nobody is connected: ${name} was not sent.` : `That peer is not connected: ${name} was not sent.`;
      if (refusal) {
        const failed = this.#add({ direction: 'out', name, size: file.size, type, remote: undefined, state: 'failed', message: refusal, blob: file });
        created.push(failed);
        this.#error(file.size > limit ? 'ERR_TOO_LARGE' : 'ERR_INVALID_STATE', refusal);
        continue;
      }
      const outgoing: Outgoing = { id: this.#nextId++ >>> 0, file, recipients: new Map() };
      for (const remote of remotes) {
        const transfer = this.#add({ direction: 'out', name, size: file.size, type, remote, state: 'sending', blob: file }) as Live;
        outgoing.recipients.set(remote.id, { transfer, inFlight: new Set() });
        created.push(transfer);
        this.#control(remote, { t: 'offer', id: outgoing.id, name, size: file.size, type });
      }
      this.#outgoing.set(outgoing.id, outgoing);
      void this.#pump(outgoing);
    }
    this.#changed();
    return created;
  }

  /** Stops a transfer that is still running, at both ends. */
  cancel(transfer: Transfer): void {
    const remote = transfer.remote;
    if (isFinished(transfer.state) || !remote) return;
    if (transfer.direction === 'out') {
      for (const out of this.#outgoing.values()) {
        const recipient = out.recipients.get(remote.id);
        if (recipient?.transfer !== transfer) continue;
        this.#control(remote, { t: 'abort', id: out.id });
        this.#dropRecipient(out, recipient.transfer, 'cancelled', 'You cancelled it.');
      }
      return;
    }
    this.#receiver.cancel(transfer);
    this.#finish(transfer, 'cancelled', 'You cancelled it.');
  }

  /** Removes finished transfers from the list (and revokes their download links). */
  clearFinished(): void {
    for (const t of this.#transfers) if (isFinished(t.state) && t.url) URL.revokeObjectURL(t.url);
    this.#transfers = this.#transfers.filter((t) => !isFinished(t.state));
    this.#changed();
  }

  // ───────────────────────── sending ─────────────────────────

  async #pump(out: Outgoing): Promise<void> {
    const digests: Promise<ArrayBuffer>[] = [];
    let offset = 0;
    try {
      while (offset < out.file.size && out.recipients.size) {
        const bytes = new Uint8Array(await out.file.slice(offset, offset + SLICE_SIZE).arrayBuffer());
        digests.push(crypto.subtle.digest('SHA-256', bytes));
        const frame = encodeData(out.id, bytes);
        const base = offset;
        for (const [id, recipient] of out.recipients) {
          while (recipient.inFlight.size >= WINDOW && out.recipients.get(id) === recipient) await Promise.race(recipient.inFlight);
          if (out.recipients.get(id) !== recipient) continue;
          const { transfer } = recipient;
          await this.#drained(transfer.remote);
          if (out.recipients.get(id) !== recipient) continue;
          const sending = transfer.remote
            .send(frame, {
              label: this.label,
              onProgress: ({ sent, total }) => this.#progress(transfer, base + Math.round((bytes.length * sent) / Math.max(total, 1))),
            })
            .then(
              () => void recipient.inFlight.delete(sending),
              (error: unknown) => {
                recipient.inFlight.delete(sending);
                this.#dropRecipient(out, transfer, 'failed', `The connection to ${transfer.peerName} was lost.`);
                this.#error('ERR_CHANNEL', `sending ${transfer.name} to ${transfer.peerName} failed: ${error instanceof Error ? error.message : String(error)}`, transfer.remote);
              },
            );
          recipient.inFlight.add(sending);
        }
        offset += bytes.length;
      }
      for (const recipient of out.recipients.values()) await Promise.all(recipient.inFlight);
    } catch (error) {
      // Reading (or hashing) the file failed (it was deleted or changed on disk).
      for (const { transfer } of [...out.recipients.values()]) {
        this.#control(transfer.remote, { t: 'abort', id: out.id });
        this.#dropRecipient(out, transfer, 'failed', `Could not read ${transfer.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
      return;
    }
    const checksum = await fileChecksum(digests);
    for (const { transfer } of out.recipients.values()) {
      transfer.checksum = checksum;
      transfer.state = 'verifying';
      this.#control(transfer.remote, { t: 'end', id: out.id, checksum });
    }
    this.#changed();
  }

  /**
   * Waits until little is queued on the channel to `remote`: the other channels
   * (chat, and the engine's in-band heartbeat) share the connection's send
   * queue, and a few MiB of file ahead of them delays them by seconds on a slow link.
   */
  async #drained(remote: RemotePeer): Promise<void> {
    for (;;) {
      const dc = remote.channels.get(this.label)?.raw;
      if (!dc || dc.readyState !== 'open' || dc.bufferedAmount <= QUEUE_LIMIT) return;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          dc.removeEventListener('bufferedamountlow', done);
          resolve();
        };
        const timer = setTimeout(done, 100);
        dc.addEventListener('bufferedamountlow', done);
      });
    }
  }

  #dropRecipient(out: Outgoing, transfer: Live, state: TransferState, message: string): void {
    if (out.recipients.get(transfer.remote.id)?.transfer === transfer) out.recipients.delete(transfer.remote.id);
    if (!out.recipients.size) this.#outgoing.delete(out.id);
    this.#finish(transfer, state, message);
  }

  // ───────────────────── replies to files we send ─────────────────────

  #receive(remote: RemotePeer, data: string | ArrayBuffer): void {
    if (typeof data !== 'string') return this.#receiver.data(remote, data);
    const message = decodeControl(data);
    if (!message) return this.#error('ERR_DECODE', `malformed file-transfer message from ${remoteName(remote)}`, remote);
    if (message.t === 'offer') return this.#receiver.offer(remote, message);
    if (message.t === 'end' || message.t === 'abort') return void this.#receiver.senderSaid(remote, message);
    // `decline` and `done` are about a file we send.
    const recipient = this.#outgoing.get(message.id)?.recipients.get(remote.id);
    const out = this.#outgoing.get(message.id);
    if (!recipient || !out) return;
    const who = recipient.transfer.peerName;
    if (message.t === 'done') {
      if (recipient.transfer.state !== 'verifying') return this.#error('ERR_UNEXPECTED', `${who} confirmed ${recipient.transfer.name} before it was sent whole`, remote);
      this.#dropRecipient(out, recipient.transfer, 'done', '');
      this.#completed(recipient.transfer);
      return;
    }
    const reasons: Record<DeclineReason, [TransferState, string]> = {
      cancelled: ['cancelled', `${who} cancelled it.`],
      'too-large': ['failed', `${who} refused it: larger than their limit.`],
      busy: ['failed', `${who} is receiving too many files at once.`],
      'hash-mismatch': ['failed', `${who} received it damaged (checksum mismatch).`],
      invalid: ['failed', `${who} could not receive it.`],
    };
    const [state, text] = reasons[message.reason];
    this.#dropRecipient(out, recipient.transfer, state, text);
  }

  #lost(remote: RemotePeer): void {
    this.#receiver.lost(remote);
    for (const out of this.#outgoing.values()) {
      const recipient = out.recipients.get(remote.id);
      if (recipient) this.#dropRecipient(out, recipient.transfer, 'failed', `The connection to ${recipient.transfer.peerName} was lost.`);
    }
  }

  // ───────────────────────── bookkeeping ─────────────────────────

  #add(init: Omit<Transfer, 'key' | 'started' | 'bytes' | 'peerName'>): Transfer {
    const transfer = {
      ...init,
      key: `t${++keySeed}`,
      started: new Date(),
      bytes: 0,
      peerName: init.remote ? remoteName(init.remote) : '',
    } as Transfer;
    this.#transfers.push(transfer);
    // Keep the list bounded: the oldest finished entries go first.
    while (this.#transfers.length > MAX_KEPT) {
      const index = this.#transfers.findIndex((t) => isFinished(t.state));
      if (index < 0) break;
      const [gone] = this.#transfers.splice(index, 1);
      if (gone?.url) URL.revokeObjectURL(gone.url);
    }
    return transfer;
  }

  #progress(transfer: Transfer, bytes: number): void {
    if (isFinished(transfer.state) || bytes <= transfer.bytes) return;
    transfer.bytes = bytes;
    this.#changed();
  }

  #finish(transfer: Transfer, state: TransferState, message: string): void {
    if (isFinished(transfer.state)) return;
    transfer.state = state;
    if (state === 'done') transfer.bytes = transfer.size;
    if (message) transfer.message = message;
    this.#changed();
  }

  #control(remote: RemotePeer, message: Control): void {
    remote.send(encodeControl(message), { label: this.label }).catch(() => {});
  }

  #error(code: PeerixErrorCode, message: string, remote?: RemotePeer): void {
    const error = new PeerixError(code, message, remote ? { peerId: remote.id } : {});
    for (const c of this.#clients) c.transferError(error, remote);
  }

  #completed(transfer: Transfer): void {
    for (const c of this.#clients) c.fileCompleted(transfer);
  }

  #changed(): void {
    for (const c of this.#clients) c.transfersChanged();
  }
}
