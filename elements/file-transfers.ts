import { PeerixError, type Peer, type PeerixErrorCode, type RemotePeer } from '../src/index.js';
import { remoteName } from './names.js';
import {
  SLICE_SIZE,
  WINDOW,
  decodeControl,
  decodeData,
  encodeControl,
  encodeData,
  safeName,
  safeType,
  type Control,
  type DeclineReason,
} from './file-transfer-protocol.js';
import { formatSize } from './file-size.js';

// The view of a transfer travels with the transfers (in their chunk): there is nothing to show before they load.
export { renderTransfer } from './file-transfer-view.js';

export type TransferState = 'sending' | 'receiving' | 'verifying' | 'done' | 'failed' | 'cancelled';

/** One file going to or coming from one peer, as the elements show it. */
export interface Transfer {
  /** Unique on this page. */
  readonly key: string;
  readonly direction: 'in' | 'out';
  readonly name: string;
  readonly size: number;
  /** The declared MIME type (shown as text; never used to open the file). */
  readonly type: string;
  /** The other side (absent for a file refused before it went anywhere). */
  readonly remote?: RemotePeer;
  /** The other side's display name. */
  readonly peerName: string;
  readonly started: Date;
  /** Bytes sent (handed to the channel) or received so far. */
  bytes: number;
  state: TransferState;
  /** Why it failed or who cancelled it, as text. */
  message?: string;
  /** Outgoing: the file. Incoming: the verified file, once `done`. */
  blob?: Blob;
  /** Incoming and done: an object URL of the file as `application/octet-stream` (a download, never a page). */
  url?: string;
  /** The file's checksum once known: hex SHA-256 of its slices' SHA-256 digests (see `file-transfer-protocol.ts`). */
  checksum?: string;
}

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

/** A transfer with someone on the other end. */
type Live = Transfer & { readonly remote: RemotePeer };

interface Recipient {
  transfer: Live;
  inFlight: Set<Promise<void>>;
}

interface Outgoing {
  id: number;
  file: Blob;
  recipients: Map<string, Recipient>;
}

interface Incoming {
  transfer: Live;
  id: number;
  parts: Blob[];
  received: number;
  /** One SHA-256 per data message, computed off the main thread by WebCrypto. */
  digests: Promise<ArrayBuffer>[];
}

/** Bytes that may wait in a channel's send queue before the next slice goes. */
const QUEUE_LIMIT = 256 * 1024;
/** Incoming transfers at once per remote; more offers are declined as busy. */
const MAX_INCOMING_PER_PEER = 8;
/** Finished transfers kept in the list (their download links with them). */
const MAX_KEPT = 100;
/** Blob parts merged into one after this many, to keep the part list short. */
const MERGE_PARTS = 64;
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
  #incoming = new Map<string, Incoming>();
  /** Ids of transfers that just ended, whose last data messages may still arrive. */
  #ended = new Set<string>();
  #nextId = (Math.random() * 0x7fffffff) >>> 0;
  #unsubscribe: () => void;

  private constructor(peer: Peer, label: string, backlog: ReadonlyArray<[TransferEvent, unknown]>) {
    this.peer = peer;
    this.label = label;
    peer.open({ label, ordered: true });
    const onMessage = ({ remote, label: l, data }: { remote: RemotePeer; label: string; data: string | ArrayBuffer }) => {
      if (l === label) this.#receive(remote, data);
    };
    const onProgress = ({ remote, label: l, received, total }: { remote: RemotePeer; label: string; received: number; total: number }) => {
      if (l === label) this.#partial(remote, received, total);
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
    for (const [key, incoming] of this.#incoming) {
      if (incoming.transfer !== transfer) continue;
      this.#dropIncoming(key);
      this.#control(remote, { t: 'decline', id: incoming.id, reason: 'cancelled' });
    }
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
    const checksum = await combine(digests);
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

  // ───────────────────────── receiving ─────────────────────────

  #receive(remote: RemotePeer, data: string | ArrayBuffer): void {
    if (typeof data !== 'string') return this.#data(remote, data);
    const message = decodeControl(data);
    if (!message) return this.#error('ERR_DECODE', `malformed file-transfer message from ${remoteName(remote)}`, remote);
    if (message.t === 'offer') return this.#offer(remote, message);
    if (message.t === 'end' || message.t === 'abort') return void this.#senderSaid(remote, message);
    // `decline` and `done` are about a file we send.
    const recipient = this.#outgoing.get(message.id)?.recipients.get(remote.id);
    const out = this.#outgoing.get(message.id);
    if (!recipient || !out) return;
    const who = recipient.transfer.peerName;
    if (message.t === 'done') {
      if (recipient.transfer.state !== 'verifying') return this.#error('ERR_UNEXPECTED', `${who} confirmed ${recipient.transfer.name} before it was sent whole`, remote);
      this.#dropRecipient(out, recipient.transfer, 'done', '');
      for (const c of this.#clients) c.fileCompleted(recipient.transfer);
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

  #offer(remote: RemotePeer, offer: Extract<Control, { t: 'offer' }>): void {
    const key = `${remote.id}:${offer.id}`;
    if (this.#incoming.has(key)) return this.#error('ERR_UNEXPECTED', `${remoteName(remote)} offered transfer ${offer.id} twice`, remote);
    const limit = this.maxSize;
    if (offer.size > limit) {
      this.#control(remote, { t: 'decline', id: offer.id, reason: 'too-large' });
      const message = `Refused ${offer.name} (${formatSize(offer.size)}): larger than the limit of ${formatSize(limit)}.`;
      this.#add({ direction: 'in', name: offer.name, size: offer.size, type: offer.type, remote, state: 'failed', message });
      this.#error('ERR_TOO_LARGE', message, remote);
      return this.#changed();
    }
    const active = [...this.#incoming.values()].filter((i) => i.transfer.remote.id === remote.id).length;
    if (active >= MAX_INCOMING_PER_PEER) {
      this.#control(remote, { t: 'decline', id: offer.id, reason: 'busy' });
      return this.#error('ERR_LIMIT', `${remoteName(remote)} sends more than ${MAX_INCOMING_PER_PEER} files at once; declined ${offer.name}`, remote);
    }
    const transfer = this.#add({ direction: 'in', name: offer.name, size: offer.size, type: offer.type, remote, state: 'receiving' }) as Live;
    this.#incoming.set(key, { transfer, id: offer.id, parts: [], received: 0, digests: [] });
    this.#changed();
  }

  #data(remote: RemotePeer, data: ArrayBuffer): void {
    const decoded = decodeData(data);
    if (!decoded) return this.#error('ERR_DECODE', `malformed file data from ${remoteName(remote)}`, remote);
    const key = `${remote.id}:${decoded.id}`;
    const incoming = this.#incoming.get(key);
    if (!incoming) {
      // Slices already on their way when a transfer was cancelled are expected.
      if (!this.#ended.has(key)) this.#error('ERR_UNEXPECTED', `file data for unknown transfer ${decoded.id} from ${remoteName(remote)}`, remote);
      return;
    }
    const { transfer } = incoming;
    const total = incoming.received + decoded.bytes.length;
    if (total > transfer.size) {
      this.#dropIncoming(key);
      this.#control(remote, { t: 'decline', id: incoming.id, reason: 'invalid' });
      this.#finish(transfer, 'failed', `${transfer.peerName} sent more than the announced ${formatSize(transfer.size)}.`);
      return this.#error('ERR_TOO_LARGE', `${remoteName(remote)} overran the announced size of ${transfer.name}`, remote);
    }
    incoming.received = total;
    incoming.digests.push(crypto.subtle.digest('SHA-256', decoded.bytes));
    incoming.parts.push(new Blob([decoded.bytes]));
    if (incoming.parts.length >= MERGE_PARTS) incoming.parts = [new Blob(incoming.parts)];
    this.#progress(transfer, total);
  }

  async #senderSaid(remote: RemotePeer, message: Extract<Control, { t: 'end' | 'abort' }>): Promise<void> {
    const key = `${remote.id}:${message.id}`;
    const incoming = this.#incoming.get(key);
    if (!incoming) return;
    const { transfer } = incoming;
    if (message.t === 'abort') {
      this.#dropIncoming(key);
      return this.#finish(transfer, 'cancelled', `${transfer.peerName} cancelled it.`);
    }
    const size = incoming.received;
    const parts = incoming.parts;
    const digests = incoming.digests;
    this.#dropIncoming(key);
    transfer.state = 'verifying';
    this.#changed();
    let checksum = '';
    try {
      checksum = await combine(digests);
    } catch {
      // WebCrypto failed: treated as a mismatch below.
    }
    if (isFinished(transfer.state)) return;
    transfer.checksum = checksum;
    if (size !== transfer.size || checksum !== message.checksum) {
      this.#control(remote, { t: 'decline', id: message.id, reason: size !== transfer.size ? 'invalid' : 'hash-mismatch' });
      this.#finish(transfer, 'failed', size !== transfer.size ? `Incomplete: ${formatSize(size)} of ${formatSize(transfer.size)} arrived.` : 'Damaged: the checksum does not match. The file was discarded.');
      return this.#error('ERR_AUTH', `${transfer.name} from ${remoteName(remote)} failed its SHA-256 check`, remote);
    }
    transfer.blob = new Blob(parts, { type: transfer.type });
    // The link serves the bytes as a download whatever the declared type: never rendered as a page.
    transfer.url = URL.createObjectURL(new Blob([transfer.blob], { type: 'application/octet-stream' }));
    this.#control(remote, { t: 'done', id: message.id });
    this.#finish(transfer, 'done', '');
    for (const c of this.#clients) c.fileCompleted(transfer);
  }

  /** The engine reports a large message arriving: attribute it when only one file from that peer is on its way. */
  #partial(remote: RemotePeer, received: number, total: number): void {
    const active = [...this.#incoming.values()].filter((i) => i.transfer.remote.id === remote.id);
    if (active.length !== 1 || received >= total) return;
    const incoming = active[0]!;
    this.#progress(incoming.transfer, Math.min(incoming.transfer.size, incoming.received + Math.max(0, received - 5)));
  }

  #lost(remote: RemotePeer): void {
    for (const [key, incoming] of this.#incoming) {
      if (incoming.transfer.remote.id !== remote.id) continue;
      this.#dropIncoming(key);
      this.#finish(incoming.transfer, 'failed', `The connection to ${incoming.transfer.peerName} was lost.`);
    }
    for (const out of this.#outgoing.values()) {
      const recipient = out.recipients.get(remote.id);
      if (recipient) this.#dropRecipient(out, recipient.transfer, 'failed', `The connection to ${recipient.transfer.peerName} was lost.`);
    }
  }

  #dropIncoming(key: string): void {
    const incoming = this.#incoming.get(key);
    if (!incoming) return;
    incoming.parts = [];
    incoming.digests = [];
    this.#incoming.delete(key);
    this.#ended.add(key);
    if (this.#ended.size > 256) this.#ended.delete(this.#ended.values().next().value!);
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

  #changed(): void {
    for (const c of this.#clients) c.transfersChanged();
  }
}

export const isFinished = (state: TransferState): boolean => state === 'done' || state === 'failed' || state === 'cancelled';

const toHex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

/** The file checksum: SHA-256 over the concatenated SHA-256 digests of its data messages, in order (hex). */
async function combine(digests: Promise<ArrayBuffer>[]): Promise<string> {
  const list = await Promise.all(digests);
  const joined = new Uint8Array(list.length * 32);
  list.forEach((d, i) => joined.set(new Uint8Array(d), i * 32));
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', joined)));
}
