import { Channel, type ChannelHost } from '../channel.js';
import { PeerixError } from '../errors.js';
import type { EmitPart } from '../events.js';
import type { RemoteLimits } from '../limits.js';
import { IncomingBudget } from '../reassembly.js';
import type { ChannelOptions } from '../signaling/messages.js';
import type { OpenOptions, SendData, SendOptions } from '../types.js';
import { SIGNAL_LABEL } from './signal-path.js';

export interface ChannelsHooks {
  readonly connection: RTCPeerConnection;
  readonly peerId: string;
  /** The impolite side creates data channels; the polite side asks it to. */
  readonly polite: boolean;
  readonly limits: RemoteLimits;
  /** True once the in-band channel opened: channels can be created or asked for. */
  inbandOpened(): boolean;
  /** Polite side: asks the remote to create channel `label`. */
  request(label: string, options: ChannelOptions | undefined): void;
  /** Channels opened at the `Peer` level (opened here on demand too). */
  defaults(): Iterable<OpenOptions>;
  /** Data arrived: a sign of life. */
  heard(): void;
  emit: EmitPart;
  error(error: PeerixError): void;
}

/** The labelled data channels to one remote: opening, requests from the remote, limits. */
export class Channels {
  #hooks: ChannelsHooks;
  #channels = new Map<string, Channel>();
  /** Opened before the in-band channel: created (or asked for) once it opens. */
  #pending = new Map<string, OpenOptions>();
  #host: ChannelHost;
  #disposed = false;

  constructor(hooks: ChannelsHooks) {
    this.#hooks = hooks;
    this.#host = this.#makeHost(new IncomingBudget(hooks.limits.maxIncomingBuffer));
  }

  get map(): ReadonlyMap<string, Channel> {
    return this.#channels;
  }

  /** Sends on one channel (`label`, opened on demand if the `Peer` opened it) or on every open channel. */
  send(data: SendData, options: SendOptions): Promise<void> {
    if (options.label !== undefined) {
      // A disposed remote opens nothing: createDataChannel would throw on its closed connection.
      const channel = this.#channels.get(options.label) ?? (this.#disposed ? undefined : this.#openDefault(options.label));
      if (!channel) {
        const why = this.#disposed ? 'the connection is closed' : 'open() it first';
        const error = new PeerixError('ERR_CHANNEL', `no channel "${options.label}" to ${this.#hooks.peerId}: ${why}`, { peerId: this.#hooks.peerId });
        const rejected = Promise.reject(error);
        rejected.catch(() => {});
        return rejected;
      }
      return channel.send(data, options);
    }
    return Promise.all([...this.#channels.values()].map((c) => c.send(data, options))).then(() => undefined);
  }

  open(options: OpenOptions): Channel {
    const { label, ...init } = options;
    if (!label || label === SIGNAL_LABEL) throw new PeerixError('ERR_INVALID_ARGUMENT', `invalid channel label "${label}"`);
    const existing = this.#channels.get(label);
    if (existing) return existing;
    const channel = new Channel(label, init, this.#host);
    this.#channels.set(label, channel);
    if (this.#hooks.inbandOpened()) this.#createOrRequest(label, init);
    else this.#pending.set(label, options);
    return channel;
  }

  close(label: string): void {
    this.#pending.delete(label);
    this.#channels.get(label)?.close();
  }

  /** The in-band channel opened: the `Peer`'s channels and those opened meanwhile are created. */
  start(): void {
    for (const options of this.#hooks.defaults()) this.open(options);
    for (const [label, options] of this.#pending) {
      this.#pending.delete(label);
      const { label: _label, ...init } = options;
      this.#createOrRequest(label, init);
    }
  }

  /** Impolite side: the remote asked for channel `label`. */
  requested(label: string, options: ChannelOptions): void {
    if (this.#hooks.polite || this.#channels.get(label)?.raw || !this.#roomFor(label)) return;
    const channel = this.#channels.get(label) ?? new Channel(label, options, this.#host);
    this.#channels.set(label, channel);
    if (!channel.raw) this.#attach(channel, this.#hooks.connection.createDataChannel(label, { ...channel.options, ...options }));
  }

  /** `datachannel`: the remote created a channel. */
  remote(dc: RTCDataChannel): void {
    let channel = this.#channels.get(dc.label);
    if (!channel && !this.#roomFor(dc.label)) {
      dc.close();
      return;
    }
    if (!channel) {
      channel = new Channel(dc.label, { ordered: dc.ordered, protocol: dc.protocol }, this.#host);
      this.#channels.set(dc.label, channel);
    }
    this.#pending.delete(dc.label);
    this.#attach(channel, dc);
  }

  dispose(): void {
    this.#disposed = true;
    for (const channel of [...this.#channels.values()]) channel.close();
  }

  #openDefault(label: string): Channel | undefined {
    for (const options of this.#hooks.defaults()) if (options.label === label) return this.open(options);
    return undefined;
  }

  #createOrRequest(label: string, init: RTCDataChannelInit): void {
    const channel = this.#channels.get(label);
    if (!channel || channel.raw) return;
    if (!this.#hooks.polite) this.#attach(channel, this.#hooks.connection.createDataChannel(label, init));
    else this.#hooks.request(label, pickChannelOptions(init));
  }

  /** False (with ERR_LIMIT) when a new label from the remote would pass `maxRemoteChannels`. */
  #roomFor(label: string): boolean {
    const max = this.#hooks.limits.maxRemoteChannels;
    if (this.#channels.has(label) || this.#channels.size < max) return true;
    this.#hooks.error(new PeerixError('ERR_LIMIT', `${this.#hooks.peerId} opened more than ${max} channels: refused "${label.slice(0, 64)}"`, { peerId: this.#hooks.peerId }));
    return false;
  }

  #attach(channel: Channel, dc: RTCDataChannel): void {
    channel.attach(dc);
    if (channel.raw === dc) this.#hooks.emit('channel:new', { label: channel.label, channel });
  }

  #makeHost(incoming: IncomingBudget): ChannelHost {
    const { emit, heard } = this.#hooks;
    return {
      maxMessageSize: () => this.#hooks.connection.sctp?.maxMessageSize || 65536,
      limits: this.#hooks.limits,
      incoming,
      onOpen: (channel) => emit('channel:open', { label: channel.label, channel }),
      onClose: (channel) => {
        if (this.#channels.get(channel.label) === channel) this.#channels.delete(channel.label);
        emit('channel:close', { label: channel.label, channel });
      },
      // Data arriving is a sign of life too: behind a long transfer a sender's
      // pings can queue for seconds (FIFO SCTP in @roamhq/wrtc, slow links).
      onMessage: (channel, data) => {
        heard();
        emit('channel:message', { label: channel.label, channel, data });
      },
      onProgress: (channel, received, total) => {
        heard();
        emit('channel:progress', { label: channel.label, channel, received, total });
      },
      onError: (channel, error) => {
        const withPeer = new PeerixError(error.code, error.message, { peerId: this.#hooks.peerId, cause: error.cause });
        emit('channel:error', { label: channel.label, channel, error: withPeer });
        // Framing the remote got wrong on purpose or by bug is also a peer-level error.
        if (error.code === 'ERR_LIMIT' || error.code === 'ERR_DECODE') this.#hooks.error(withPeer);
      },
    };
  }
}

function pickChannelOptions(init: RTCDataChannelInit): ChannelOptions | undefined {
  const options: ChannelOptions = {};
  if (init.ordered !== undefined) options.ordered = init.ordered;
  if (init.maxPacketLifeTime != null) options.maxPacketLifeTime = init.maxPacketLifeTime;
  if (init.maxRetransmits != null) options.maxRetransmits = init.maxRetransmits;
  if (init.protocol) options.protocol = init.protocol;
  return Object.keys(options).length ? options : undefined;
}
