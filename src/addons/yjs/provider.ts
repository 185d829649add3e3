import { applyUpdate, encodeStateAsUpdate, encodeStateVector, type Doc } from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { messageYjsSyncStep1, messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';
import { createDebug } from '../../debug.js';
import { Addon } from '../addon.js';
import { PeerixError, toPeerixError } from '../../errors.js';
import type { Peer } from '../../peer.js';
import type { RemotePeer } from '../../remote-peer.js';
import { MessageReader, encodeMessage } from './varint.js';

const debug = createDebug('peerix:yjs');

/** Message types, as y-websocket and y-webrtc frame them; RESYNC is ours ("send me your step 1"). */
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_RESYNC = 8;

/** How long after a step 2 that changed the document the other peers are asked to compare. */
const RESYNC_DELAY_MS = 1000;
/** At most one whole-document answer to a remote this often (a step 1 is cheap to send, its answer is not). */
const STEP2_INTERVAL_MS = 1000;
/** Awareness client ids one remote may speak for (in a mesh each speaks for itself). */
const MAX_CLIENTS_PER_REMOTE = 8;

export interface PeerixProviderOptions {
  /** Data channel label (default `peerix-yjs`): one document per label. */
  label?: string;
  /** An existing awareness instance; by default the provider makes one (and destroys it with itself). */
  awareness?: Awareness;
  /** Largest message accepted from a remote, in bytes (default 16 MiB). */
  maxMessageBytes?: number;
}

export interface PeerixProviderEvents {
  /** `remote`'s document was merged into ours (its sync step 2 arrived). */
  synced: { remote: RemotePeer };
  /** Bad input from a remote; the document is left as it was. */
  error: { error: PeerixError; remote?: RemotePeer };
}

/** Marks awareness changes that came from a remote, so they are not sent on. */
const FROM_REMOTE = Symbol('peerix-remote');
type RemoteOrigin = { [FROM_REMOTE]: RemotePeer };

/**
 * Syncs a Y.Doc over a Peerix room: y-protocols sync (step 1, step 2,
 * updates) and awareness on one data channel with every peer.
 */
export class PeerixProvider extends Addon<PeerixProviderEvents, Peer> {
  readonly doc: Doc;
  readonly peer: Peer;
  readonly awareness: Awareness;
  readonly label: string;
  readonly maxMessageBytes: number;
  #ownsAwareness: boolean;
  #synced = new WeakSet<RemotePeer>();
  #clients = new Map<RemotePeer, Set<number>>();
  #applyingStep2 = false;
  #step2Changed = false;
  #resyncTimer: ReturnType<typeof setTimeout> | undefined;
  #resyncSkip = new Set<RemotePeer>();
  #step2SentAt = new WeakMap<RemotePeer, number>();
  #step2Waiting = new Map<RemotePeer, { vector: Uint8Array; timer: ReturnType<typeof setTimeout> }>();
  #destroyed = false;

  constructor(doc: Doc, peer: Peer, { label = 'peerix-yjs', awareness, maxMessageBytes = 16 * 1024 * 1024 }: PeerixProviderOptions = {}) {
    super();
    if (typeof label !== 'string' || !label) throw new PeerixError('ERR_INVALID_ARGUMENT', 'PeerixProvider: label must be a non-empty string');
    this.doc = doc;
    this.peer = peer;
    this.label = label;
    this.maxMessageBytes = maxMessageBytes;
    this.#ownsAwareness = !awareness;
    this.awareness = awareness ?? new Awareness(doc);
    doc.on('update', this.#onDocUpdate);
    this.awareness.on('update', this.#onAwarenessUpdate);
    peer.attach(this);
  }

  /** True when every peer with an open channel has sent us its document. */
  get synced(): boolean {
    return this.#openRemotes().every((remote) => this.#synced.has(remote));
  }

  override attach(peer: Peer): void {
    if (peer !== this.peer) throw new PeerixError('ERR_INVALID_ARGUMENT', 'PeerixProvider belongs to the peer it was made with');
    super.attach(peer);
    this.listen(peer, 'channel:open', ({ remote, label }) => {
      if (label === this.label) this.#greet(remote, false);
    });
    this.listen(peer, 'channel:message', ({ remote, label, data }) => {
      if (label === this.label) this.#receive(remote, data);
    });
    this.listen(peer, 'channel:close', ({ remote, label }) => {
      if (label === this.label) this.#forget(remote);
    });
    this.listen(peer, 'connection:closed', ({ remote }) => this.#forget(remote));
    peer.open({ label: this.label, ordered: true });
    // Channels the remotes opened before we were attached: they greeted no one, so ask for theirs too.
    for (const remote of this.#openRemotes()) this.#greet(remote, true);
  }

  /** Step 1 (the remote answers with step 2) and our presence; `ask`: also request the remote's step 1. */
  #greet(remote: RemotePeer, ask: boolean): void {
    this.#send(remote, encodeMessage(MESSAGE_SYNC, messageYjsSyncStep1, encodeStateVector(this.doc)));
    if (ask) this.#send(remote, encodeMessage(MESSAGE_RESYNC));
    if (this.awareness.getLocalState() !== null) this.#send(remote, this.#localAwareness());
  }

  override detach(peer: Peer): void {
    super.detach(peer);
    peer.close({ label: this.label });
    for (const remote of [...this.#clients.keys()]) this.#forget(remote);
  }

  /** Says goodbye (our presence is removed on every peer), stops syncing, and frees what it holds. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    removeAwarenessStates(this.awareness, [this.doc.clientID], 'peerix-destroy');
    this.peer.detach(this);
    this.doc.off('update', this.#onDocUpdate);
    this.awareness.off('update', this.#onAwarenessUpdate);
    clearTimeout(this.#resyncTimer);
    for (const { timer } of this.#step2Waiting.values()) clearTimeout(timer);
    this.#step2Waiting.clear();
    if (this.#ownsAwareness) this.awareness.destroy();
  }

  #onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this) {
      if (this.#applyingStep2) this.#step2Changed = true;
      return; // came from a peer, who sent it to everyone itself
    }
    const message = encodeMessage(MESSAGE_SYNC, messageYjsUpdate, update);
    for (const remote of this.#openRemotes()) this.#send(remote, message);
  };

  #onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    if (isRemoteOrigin(origin)) {
      this.#track(origin[FROM_REMOTE], added, updated, removed);
      return;
    }
    // Each peer speaks for its own presence only.
    const id = this.doc.clientID;
    if (!added.includes(id) && !updated.includes(id) && !removed.includes(id)) return;
    const message = this.#localAwareness();
    for (const remote of this.#openRemotes()) this.#send(remote, message);
  };

  #localAwareness(): Uint8Array {
    return encodeMessage(MESSAGE_AWARENESS, encodeAwarenessUpdate(this.awareness, [this.doc.clientID]));
  }

  #receive(remote: RemotePeer, data: unknown): void {
    try {
      if (!(data instanceof ArrayBuffer)) throw new PeerixError('ERR_DECODE', 'Yjs message is text, expected binary');
      if (data.byteLength > this.maxMessageBytes) throw new PeerixError('ERR_TOO_LARGE', `Yjs message of ${data.byteLength} bytes (limit ${this.maxMessageBytes})`);
      const reader = new MessageReader(new Uint8Array(data));
      const type = reader.uint();
      if (type === MESSAGE_SYNC) {
        const step = reader.uint();
        const payload = reader.bytes();
        if (step === messageYjsSyncStep1) this.#answerStep1(remote, payload);
        else if (step === messageYjsSyncStep2) this.#applyStep2(remote, payload);
        else if (step === messageYjsUpdate) this.#apply(remote, payload);
        else throw new PeerixError('ERR_DECODE', `unknown Yjs sync message ${step}`);
      } else if (type === MESSAGE_AWARENESS) {
        const origin: RemoteOrigin = { [FROM_REMOTE]: remote };
        applyAwarenessUpdate(this.awareness, reader.bytes(), origin);
      } else if (type === MESSAGE_RESYNC) {
        this.#greet(remote, false);
      } else {
        throw new PeerixError('ERR_DECODE', `unknown Yjs message type ${type}`);
      }
    } catch (error) {
      this.#error(toPeerixError(error, 'ERR_DECODE', 'dropped a Yjs message', remote.id), remote);
    }
  }

  #apply(remote: RemotePeer, update: Uint8Array): void {
    try {
      applyUpdate(this.doc, update, this);
    } catch (error) {
      throw toPeerixError(error, 'ERR_DECODE', `Yjs update from ${remote.id.slice(0, 8)} could not be applied`, remote.id);
    }
  }

  #applyStep2(remote: RemotePeer, update: Uint8Array): void {
    this.#applyingStep2 = true;
    this.#step2Changed = false;
    try {
      this.#apply(remote, update);
    } finally {
      this.#applyingStep2 = false;
    }
    this.#synced.add(remote);
    // What changed may have come from a peer the others never met: ask them to compare.
    if (this.#step2Changed) this.#scheduleResync(remote);
    this.emit('synced', { remote });
  }

  /** Answers a step 1 with what the remote lacks, at most once per STEP2_INTERVAL_MS per remote. */
  #answerStep1(remote: RemotePeer, vector: Uint8Array): void {
    const waiting = this.#step2Waiting.get(remote);
    if (waiting) {
      waiting.vector = vector.slice();
      return;
    }
    const wait = (this.#step2SentAt.get(remote) ?? -Infinity) + STEP2_INTERVAL_MS - Date.now();
    if (wait > 0) {
      const entry = {
        vector: vector.slice(),
        timer: setTimeout(() => {
          this.#step2Waiting.delete(remote);
          if (remote.channels.get(this.label)?.readyState !== 'open') return;
          try {
            this.#answerStep1(remote, entry.vector);
          } catch (error) {
            this.#error(toPeerixError(error, 'ERR_DECODE', 'dropped a Yjs sync step 1', remote.id), remote);
          }
        }, wait),
      };
      this.#step2Waiting.set(remote, entry);
      return;
    }
    let update: Uint8Array;
    try {
      update = encodeStateAsUpdate(this.doc, vector);
    } catch (error) {
      throw toPeerixError(error, 'ERR_DECODE', 'Yjs sync step 1 carried a bad state vector', remote.id);
    }
    this.#step2SentAt.set(remote, Date.now());
    this.#send(remote, encodeMessage(MESSAGE_SYNC, messageYjsSyncStep2, update));
  }

  #scheduleResync(from: RemotePeer): void {
    this.#resyncSkip.add(from);
    if (this.#resyncTimer !== undefined) return;
    this.#resyncTimer = setTimeout(() => {
      this.#resyncTimer = undefined;
      const skip = this.#resyncSkip;
      this.#resyncSkip = new Set();
      const step1 = encodeMessage(MESSAGE_SYNC, messageYjsSyncStep1, encodeStateVector(this.doc));
      const resync = encodeMessage(MESSAGE_RESYNC);
      for (const remote of this.#openRemotes()) {
        if (skip.has(remote)) continue;
        this.#send(remote, step1);
        this.#send(remote, resync);
      }
    }, RESYNC_DELAY_MS);
  }

  /** Remembers which awareness clients a remote speaks for; refuses more than a few. */
  #track(remote: RemotePeer, added: number[], updated: number[], removed: number[]): void {
    let clients = this.#clients.get(remote);
    if (!clients) this.#clients.set(remote, (clients = new Set()));
    for (const id of removed) clients.delete(id);
    const excess: number[] = [];
    for (const id of [...added, ...updated]) {
      if (id === this.doc.clientID) continue;
      if (clients.has(id) || clients.size < MAX_CLIENTS_PER_REMOTE) clients.add(id);
      else excess.push(id);
    }
    if (excess.length) {
      removeAwarenessStates(this.awareness, excess, 'peerix-limit');
      this.#error(new PeerixError('ERR_LIMIT', `${remote.id.slice(0, 8)} spoke for more than ${MAX_CLIENTS_PER_REMOTE} awareness clients`, { peerId: remote.id }), remote);
    }
  }

  /** A remote left: its presence goes with it. */
  #forget(remote: RemotePeer): void {
    const clients = this.#clients.get(remote);
    this.#clients.delete(remote);
    const waiting = this.#step2Waiting.get(remote);
    if (waiting) clearTimeout(waiting.timer);
    this.#step2Waiting.delete(remote);
    if (clients?.size) removeAwarenessStates(this.awareness, [...clients], 'peerix-left');
  }

  #openRemotes(): RemotePeer[] {
    return [...this.peer.connections.values()].filter((remote) => remote.channels.get(this.label)?.readyState === 'open');
  }

  #send(remote: RemotePeer, message: Uint8Array): void {
    const failed = (error: unknown): void => debug('send to', remote.id.slice(0, 8), 'failed:', error);
    try {
      remote.send(message, { label: this.label }).catch(failed);
    } catch (error) {
      failed(error);
    }
  }

  #error(error: PeerixError, remote?: RemotePeer): void {
    debug('error', error.code, error.message);
    this.emit('error', { error, ...(remote ? { remote } : {}) });
  }
}

function isRemoteOrigin(origin: unknown): origin is RemoteOrigin {
  return typeof origin === 'object' && origin !== null && FROM_REMOTE in origin;
}
