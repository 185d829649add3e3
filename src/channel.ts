import { PeerixError, type ErrorMessage } from './errors.js';
import { IncomingBudget, Reassembly, type Assembled, type ReassemblyLimits } from './reassembly.js';
import { toArrayBuffer } from './rtc.js';
import { SendWindow, WINDOW } from './send-window.js';
import type { SendData, SendOptions } from './types.js';

/**
 * One labelled data channel to one remote peer. Strings travel as they are;
 * binary is framed (first byte = frame type) so that messages larger than the
 * SCTP limit are chunked, reassembled and acknowledged.
 */

const FRAME_WHOLE = 0;
const FRAME_START = 1; // [type][id u32][total f64][isText u8] data
const FRAME_PART = 2; // [type][id u32] data
const FRAME_ACK = 3; // [type][id u32]
const START_HEADER = 14;
const PART_HEADER = 5;

/** Largest chunk we put in one SCTP message, whatever the browser allows. */
const MAX_CHUNK = 256 * 1024;
/** Caps when the host gives none (a channel outside a RemotePeer). */
const DEFAULT_LIMITS: ReassemblyLimits = { maxIncomingMessage: 512 * 1024 * 1024, maxIncomingTransfers: 16 };

export interface ChannelHost {
  /** The remote's SCTP maximum message size. */
  maxMessageSize(): number;
  /** Caps on incoming chunked messages, and the remote peer's shared byte budget. */
  readonly limits?: ReassemblyLimits;
  readonly incoming?: IncomingBudget;
  onOpen(channel: Channel): void;
  onClose(channel: Channel): void;
  onMessage(channel: Channel, data: string | ArrayBuffer): void;
  onProgress(channel: Channel, received: number, total: number): void;
  onError(channel: Channel, error: PeerixError): void;
}

interface Outgoing {
  data: SendData;
  options: SendOptions;
  resolve: () => void;
  reject: (error: PeerixError) => void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const noop = (): void => {};

export class Channel {
  readonly label: string;
  readonly options: RTCDataChannelInit;
  #dc: RTCDataChannel | null = null;
  #host: ChannelHost;
  #queue: Outgoing[] = [];
  #pumping = false;
  #nextId = 1;
  #window: SendWindow | null = null;
  #incoming: Reassembly;
  #awaitingAck = new Map<number, { resolve: () => void; reject: (e: PeerixError) => void }>();
  #closed = false;

  constructor(label: string, options: RTCDataChannelInit, host: ChannelHost) {
    this.label = label;
    this.options = options;
    this.#host = host;
    this.#incoming = new Reassembly(host.limits ?? DEFAULT_LIMITS, host.incoming ?? new IncomingBudget(DEFAULT_LIMITS.maxIncomingMessage));
  }

  /** Bytes of partially received messages held on this channel. */
  get bufferedIncoming(): number {
    return this.#incoming.held;
  }

  /** The underlying `RTCDataChannel`, once it exists. */
  get raw(): RTCDataChannel | null {
    return this.#dc;
  }

  get readyState(): RTCDataChannelState | 'pending' {
    return this.#dc?.readyState ?? (this.#closed ? 'closed' : 'pending');
  }

  /** Binds the browser's channel (created here or announced by the remote). */
  attach(dc: RTCDataChannel): void {
    if (this.#dc || this.#closed) {
      if (this.#dc !== dc) dc.close();
      return;
    }
    this.#dc = dc;
    this.#window = new SendWindow(dc);
    dc.binaryType = 'arraybuffer';
    dc.bufferedAmountLowThreshold = WINDOW.low;
    // The browser may fire `open` after we already saw readyState 'open' below:
    // report it once.
    let opened = false;
    dc.onopen = () => {
      if (opened) return;
      opened = true;
      this.#host.onOpen(this);
      void this.#pump();
    };
    dc.onclose = () => this.#finish();
    dc.onerror = (event) => {
      const detail = (event as RTCErrorEvent).error?.message ?? 'data channel error';
      if (!this.#closed) this.#host.onError(this, new PeerixError('ERR_CHANNEL', `channel "${this.label}": ${detail}`));
    };
    dc.onmessage = (event) => this.#receive(typeof event.data === 'string' ? event.data : toArrayBuffer(event.data) ?? new ArrayBuffer(0));
    dc.onbufferedamountlow = () => void this.#pump();
    if (dc.readyState === 'open') dc.onopen(new Event('open'));
  }

  /**
   * Sends `data`; resolves when it is handed to the transport, or, for a
   * message that had to be chunked, when the remote confirmed it whole.
   * Messages sent before the channel is open wait for it.
   */
  send(data: SendData, options: SendOptions = {}): Promise<void> {
    if (this.#closed) return handled(Promise.reject(new PeerixError('ERR_CHANNEL', `channel "${this.label}" is closed`)));
    // Fast path: a small string with nothing queued goes straight out.
    const dc = this.#dc;
    if (typeof data === 'string' && !this.#queue.length && dc?.readyState === 'open' && dc.bufferedAmount < WINDOW.high && data.length * 3 <= this.#chunkLimit()) {
      try {
        dc.send(data);
        options.onProgress?.({ sent: data.length, total: data.length });
        return Promise.resolve();
      } catch (error) {
        return handled(Promise.reject(this.#fail(error)));
      }
    }
    const promise = new Promise<void>((resolve, reject) => this.#queue.push({ data, options, resolve, reject }));
    void this.#pump();
    return handled(promise);
  }

  close(): void {
    if (this.#dc && this.#dc.readyState !== 'closed') this.#dc.close();
    else this.#finish();
  }

  #chunkLimit(): number {
    return Math.min(MAX_CHUNK, this.#host.maxMessageSize());
  }

  #fail(error: unknown): PeerixError {
    const message = error instanceof Error ? error.message : String(error);
    return new PeerixError('ERR_CHANNEL', `send on channel "${this.label}" failed: ${message}`, { cause: error });
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length && this.#dc?.readyState === 'open') {
        const item = this.#queue[0]!;
        try {
          await this.#sendOne(item);
          this.#queue.shift();
        } catch (error) {
          this.#queue.shift();
          item.reject(error instanceof PeerixError ? error : this.#fail(error));
        }
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** Waits for room in the send buffer; throws if the channel closed meanwhile. */
  async #waitForRoom(): Promise<void> {
    if (!this.#window || !(await this.#window.room())) throw new PeerixError('ERR_CHANNEL', `channel "${this.label}" closed while sending`);
  }

  async #sendOne(item: Outgoing): Promise<void> {
    const { data, options } = item;
    const limit = this.#chunkLimit();
    let bytes: Uint8Array;
    let isText = false;
    if (typeof data === 'string') {
      if (data.length * 3 <= limit) {
        await this.#waitForRoom();
        this.#dc!.send(data);
        options.onProgress?.({ sent: data.length, total: data.length });
        item.resolve();
        return;
      }
      bytes = encoder.encode(data);
      isText = true;
      if (bytes.length <= limit) {
        await this.#waitForRoom();
        this.#dc!.send(data);
        options.onProgress?.({ sent: bytes.length, total: bytes.length });
        item.resolve();
        return;
      }
    } else if (typeof Blob !== 'undefined' && data instanceof Blob) {
      bytes = new Uint8Array(await data.arrayBuffer());
    } else if (data instanceof ArrayBuffer) {
      bytes = new Uint8Array(data);
    } else if (ArrayBuffer.isView(data)) {
      bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } else {
      throw new PeerixError('ERR_INVALID_ARGUMENT', 'send() takes a string, Blob, ArrayBuffer or typed array');
    }

    const total = bytes.length;
    if (total + 1 <= limit && !isText) {
      const frame = new Uint8Array(total + 1);
      frame[0] = FRAME_WHOLE;
      frame.set(bytes, 1);
      await this.#waitForRoom();
      this.#window!.send(frame);
      options.onProgress?.({ sent: total, total });
      item.resolve();
      return;
    }

    // Chunked: the remote acknowledges once it holds the whole message.
    const id = this.#nextId++ >>> 0;
    const acked = new Promise<void>((resolve, reject) => this.#awaitingAck.set(id, { resolve, reject }));
    handled(acked);
    let offset = 0;
    while (offset < total || offset === 0) {
      const header = offset === 0 ? START_HEADER : PART_HEADER;
      const size = Math.min(limit - header, total - offset);
      const frame = new Uint8Array(header + size);
      const view = new DataView(frame.buffer);
      frame[0] = offset === 0 ? FRAME_START : FRAME_PART;
      view.setUint32(1, id);
      if (offset === 0) {
        view.setFloat64(5, total);
        frame[13] = isText ? 1 : 0;
      }
      frame.set(bytes.subarray(offset, offset + size), header);
      await this.#waitForRoom();
      this.#window!.send(frame);
      offset += size;
      options.onProgress?.({ sent: offset, total });
      if (total === 0) break;
    }
    // The next message may start while this one waits for its acknowledgement.
    acked.then(item.resolve, item.reject);
  }

  #receive(data: string | ArrayBuffer): void {
    if (typeof data === 'string') {
      this.#host.onMessage(this, data);
      return;
    }
    const frame = new Uint8Array(data);
    if (frame.length === 0) return this.#reject('empty binary frame');
    const type = frame[0];
    if (type === FRAME_WHOLE) {
      this.#host.onMessage(this, data.slice(1));
      return;
    }
    if (frame.length < PART_HEADER) return this.#reject('truncated frame header');
    const view = new DataView(data);
    const id = view.getUint32(1);
    if (type === FRAME_ACK) {
      const waiter = this.#awaitingAck.get(id);
      this.#awaitingAck.delete(id);
      waiter?.resolve();
      return;
    }
    try {
      if (type === FRAME_START) {
        if (frame.length < START_HEADER) return this.#reject('truncated start frame');
        return this.#deliver(id, this.#incoming.start(id, view.getFloat64(5), frame[13] === 1, frame.subarray(START_HEADER)));
      }
      if (type === FRAME_PART) return this.#deliver(id, this.#incoming.append(id, frame.subarray(PART_HEADER)));
    } catch (error) {
      const e = error instanceof PeerixError ? error : new PeerixError('ERR_DECODE', String(error));
      this.#host.onError(this, new PeerixError(e.code, `channel "${this.label}": ${e.message}`));
      return;
    }
    this.#reject(`unknown frame type ${type}`);
  }

  #deliver(id: number, result: Assembled): void {
    if (!result.done) {
      this.#host.onProgress(this, result.received, result.total);
      return;
    }
    this.#host.onProgress(this, result.total, result.total);
    const ack = new Uint8Array(PART_HEADER);
    ack[0] = FRAME_ACK;
    new DataView(ack.buffer).setUint32(1, id);
    try {
      this.#dc?.send(ack);
    } catch {
      // The sender learns nothing if the channel is gone; its promise fails on close.
    }
    this.#host.onMessage(this, result.isText ? decoder.decode(result.bytes) : result.bytes.buffer as ArrayBuffer);
  }

  #reject(reason: ErrorMessage): void {
    this.#host.onError(this, new PeerixError('ERR_CHANNEL', `channel "${this.label}": ${reason}`));
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    const error = new PeerixError('ERR_CHANNEL', `channel "${this.label}" closed before the message was delivered`);
    for (const item of this.#queue.splice(0)) item.reject(error);
    for (const waiter of this.#awaitingAck.values()) waiter.reject(error);
    this.#awaitingAck.clear();
    this.#incoming.clear();
    if (this.#dc) {
      this.#dc.onopen = this.#dc.onclose = this.#dc.onerror = this.#dc.onmessage = this.#dc.onbufferedamountlow = null;
    }
    this.#host.onClose(this);
  }
}

/** Marks a promise as handled so an ignored failure is not an unhandled rejection; callers can still await it. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(noop);
  return promise;
}
