import { nothing } from 'lit';
import { PeerixError, type Peer } from '../src/index.js';
import type { FileTransfers, Transfer, TransferClient, TransferEvent } from './file-transfers.js';

type TransfersModule = typeof import('./file-transfers.js');

/** The channel events the transfers follow (kept while their code loads). */
const EVENTS: TransferEvent[] = ['channel:message', 'channel:progress', 'channel:close', 'connection:closed', 'connection:failed'];

let loaded: TransfersModule | undefined;
let loading: Promise<TransfersModule> | undefined;

/** The transfer code, loaded on first use (its own chunk in the CDN build: pages without file elements never fetch it). */
function load(): Promise<TransfersModule> {
  loading ??= import('./file-transfers.js').then(
    (module) => (loaded = module),
    (error: unknown) => {
      loading = undefined; // the next element tries again
      throw error;
    },
  );
  return loading;
}

/**
 * One transfer as a list item's content (see `file-transfer-view.ts`), drawn by the
 * transfer code's chunk: a transfer exists only once that has loaded.
 */
export function renderTransfer(t: Transfer, cancel: (t: Transfer) => void): unknown {
  return loaded ? loaded.renderTransfer(t, cancel) : nothing;
}

type Listener = (event: unknown) => void;
type Events = { on(type: TransferEvent, listener: Listener): void; off(type: TransferEvent, listener: Listener): void };

/**
 * One element's hold on the shared file transfers of `peer` on `label`. Usable at once:
 * until the transfer code has loaded, the channel is already open, what arrives on it
 * is kept for the transfers, and files sent are queued (`send` returns no transfer for
 * them yet: they show in `transfers` and through the client once they start).
 */
export class TransferHandle {
  readonly peer: Peer;
  readonly label: string;
  #client: TransferClient;
  #manager: FileTransfers | null = null;
  #released = false;
  #queued: Array<[File[], { to?: string }]> = [];

  constructor(peer: Peer, label: string, client: TransferClient) {
    this.peer = peer;
    this.label = label;
    this.#client = client;
    if (loaded) {
      this.#manager = loaded.FileTransfers.acquire(peer, label, client);
      return;
    }
    peer.open({ label, ordered: true });
    const backlog: Array<[TransferEvent, unknown]> = [];
    const events = peer as unknown as Events;
    const listeners = EVENTS.map((type): [TransferEvent, Listener] => [type, (event) => backlog.push([type, event])]);
    for (const [type, listener] of listeners) events.on(type, listener);
    const stop = () => {
      for (const [type, listener] of listeners) events.off(type, listener);
    };
    load().then(
      ({ FileTransfers }) => {
        stop();
        if (this.#released) return;
        const manager = (this.#manager = FileTransfers.acquire(peer, label, client, backlog));
        for (const [files, options] of this.#queued.splice(0)) manager.send(files, options);
        client.transfersChanged();
      },
      (error: unknown) => {
        stop();
        if (!this.#released) this.#client.transferError(new PeerixError('ERR_CHANNEL', `the file transfer code could not be loaded: ${String(error)}`));
      },
    );
  }

  get transfers(): readonly Transfer[] {
    return this.#manager?.transfers ?? [];
  }

  send(files: Iterable<File>, options: { to?: string } = {}): Transfer[] {
    if (this.#manager) return this.#manager.send(files, options);
    this.#queued.push([[...files], options]);
    return [];
  }

  cancel(transfer: Transfer): void {
    this.#manager?.cancel(transfer);
  }

  clearFinished(): void {
    this.#manager?.clearFinished();
  }

  /** Lets go; the last holder out stops every transfer and frees its memory. */
  release(): void {
    this.#released = true;
    this.#manager?.release(this.#client);
    this.#manager = null;
  }
}
