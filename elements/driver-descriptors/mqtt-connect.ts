import type { CreatedDriver, DriverConfig } from '../driver-descriptor.js';
import { created, websocketUrl } from '../driver-descriptor.js';
import { MqttDriver } from '../../src/drivers/mqtt.js';

interface MqttClientish {
  once(event: 'connect' | 'error', listener: (error?: Error) => void): unknown;
  removeAllListeners(event: 'connect' | 'error'): unknown;
  end(force?: boolean): unknown;
}

/**
 * Connects with MQTT 5 (its `noLocal` spares the echo of our own messages) and
 * falls back to 3.1.1 when the broker refuses 5 (aedes, the embedded broker of
 * `npm start`, speaks 3.1.1 only). Resolves at the first answer, or after
 * `wait` ms with the v5 client still trying.
 */
async function openMqtt<C extends MqttClientish>(open: (version: 4 | 5) => C, wait = 5000): Promise<C> {
  const client = open(5);
  const refused = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), wait);
    client.once('connect', () => {
      clearTimeout(timer);
      resolve(false);
    });
    client.once('error', (error) => {
      clearTimeout(timer);
      resolve(/protocol version/i.test(error?.message ?? ''));
    });
  });
  if (!refused) return client;
  client.end(true);
  return open(4);
}

/** Builds `driver="mqtt"` (see ./mqtt.ts); loaded when a room first uses that driver. */
export async function create({ url, prefix, token, key }: DriverConfig, loadClient: () => Promise<unknown>): Promise<CreatedDriver> {
  const lib = (await loadClient()) as typeof import('mqtt');
  const connect = lib.connect.bind(lib);
  const auth = token ? { username: key || 'peerix', password: token } : {};
  // writeCache: false — mqtt.js otherwise builds 65,536 number buffers on its first write, blocking the page at join.
  const client = await openMqtt((version) => connect(websocketUrl(url, '/mqtt'), { protocolVersion: version, writeCache: false, ...auth }));
  return created(new MqttDriver({ client: client as never, prefix }), () => client.end(true));
}
