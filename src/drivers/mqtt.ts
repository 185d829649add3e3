import type { DriverOptions } from './driver.js';
import { PubSubDriver } from './pubsub.js';

type Callback = (error?: Error | null, granted?: { qos: number }[]) => void;

/** The part of an `mqtt` (v5) `MqttClient` the driver uses. */
export interface MqttClientLike {
  readonly connected: boolean;
  readonly options: { resubscribe?: boolean };
  subscribe(topic: string, options: { qos: 0 | 1 }, callback: Callback): unknown;
  unsubscribe(topic: string, callback: (error?: Error) => void): unknown;
  publish(topic: string, message: string | Uint8Array, options: { qos: 0 | 1 }, callback: (error?: Error) => void): unknown;
  on(event: 'message', listener: (topic: string, payload: Uint8Array) => void): unknown;
  on(event: 'connect' | 'close', listener: () => void): unknown;
  removeListener(event: 'message', listener: (topic: string, payload: Uint8Array) => void): unknown;
  removeListener(event: 'connect' | 'close', listener: () => void): unknown;
}

export interface MqttDriverOptions extends DriverOptions {
  /** A client from `mqtt`'s `connect()`, over `ws://` or `wss://`; MQTT 5 recommended. */
  client: MqttClientLike;
  /** QoS of subscriptions and publishes (default 1: a publish in flight when the link drops is resent). */
  qos?: 0 | 1;
  /** The broker delivers all publishes to all subscribers in one order (default true: Mosquitto, aedes, bridged brokers). */
  echoesInOrder?: boolean;
}

/**
 * Signaling over an MQTT broker: topic = prefix + namespace joined by `/`.
 * One SUBSCRIBE per topic however many handlers. The broker echoes a client's
 * own messages (no `noLocal`): where the echo of our announce falls among the
 * others' announces orders simultaneous joins (`echoesInOrder`, see glare.ts;
 * the signaler drops the echo itself).
 */
export class MqttDriver extends PubSubDriver {
  readonly client: MqttClientLike;
  readonly qos: 0 | 1;
  override readonly echoesInOrder: boolean;
  #onMessage = (topic: string, payload: Uint8Array): void => this.deliver(topic, payload);
  #onConnect = (): void => {
    // mqtt.js subscribes again by itself unless told `resubscribe: false`.
    if (this.client.options.resubscribe === false) for (const topic of this.subs.keys()) this.open(topic);
    this.ready(true);
  };
  #onClose = (): void => this.ready(false);

  constructor({ client, qos = 1, echoesInOrder = true, ...options }: MqttDriverOptions) {
    super(options);
    this.client = client;
    this.qos = qos;
    this.echoesInOrder = echoesInOrder;
    this.active = false;
    client.on('message', this.#onMessage);
    client.on('connect', this.#onConnect);
    client.on('close', this.#onClose);
    if (client.connected) this.ready(true);
  }

  protected topic(namespace: string[]): string {
    return this.prefix + namespace.join('/');
  }

  protected open(topic: string): void {
    this.client.subscribe(topic, { qos: this.qos }, (error, granted) => {
      if (error || granted?.some((g) => g.qos > 2)) this.fail(`subscribe to ${topic}`, error);
    });
  }

  protected close(topic: string): void {
    this.client.unsubscribe(topic, (error) => error && this.fail(`unsubscribe from ${topic}`, error));
  }

  protected send(topic: string, message: Uint8Array): void {
    this.client.publish(topic, message, { qos: this.qos }, (error) => error && this.fail(`publish to ${topic}`, error));
  }

  override destroy(): void {
    const { client } = this;
    client.removeListener('message', this.#onMessage);
    client.removeListener('connect', this.#onConnect);
    client.removeListener('close', this.#onClose);
    // Also while offline: mqtt.js would otherwise subscribe again on reconnect.
    for (const topic of this.subs.keys()) this.close(topic);
    super.destroy();
  }
}
