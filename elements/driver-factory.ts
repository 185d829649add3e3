import { BroadcastChannelDriver, MemoryDriver, type Driver } from '../src/index.js';

/** The names `<peerix-room driver="…">` accepts. */
export type DriverName = 'memory' | 'broadcast-channel' | 'mqtt' | 'nats' | 'socket-io' | 'sse' | 'supabase' | 'centrifuge';

export const DRIVER_NAMES: readonly DriverName[] = ['memory', 'broadcast-channel', 'mqtt', 'nats', 'socket-io', 'sse', 'supabase', 'centrifuge'];

/** What the factory needs from the room's attributes. */
export interface DriverConfig {
  name: string;
  url: string;
  prefix: string;
  token: string;
  key: string;
  withCredentials: boolean;
}

/** A driver made from attributes, with what closes its client. */
export interface CreatedDriver {
  driver: Driver;
  /** Destroys the driver and closes the client the factory opened. */
  close(): void;
}

/** A driver's client library could not be loaded: `packageName` says which one to install. */
export class MissingDriverPackageError extends Error {
  readonly packageName: string;
  constructor(driver: string, packageName: string, cause: unknown) {
    super(
      `peerix: driver="${driver}" needs the npm package "${packageName}", which could not be loaded` +
        ` (npm install ${packageName}, or use the CDN build peerix-elements.js that ships it beside it)`,
      { cause },
    );
    this.name = 'MissingDriverPackageError';
    this.packageName = packageName;
  }
}

/** Same-page peers with `driver="memory"` meet on one shared driver per prefix. */
const memoryDrivers = new Map<string, MemoryDriver>();

async function load<T>(driver: string, packageName: string, loader: () => Promise<T>): Promise<T> {
  try {
    return await loader();
  } catch (error) {
    throw new MissingDriverPackageError(driver, packageName, error);
  }
}

/** Resolves `url` against the page, mapping http(s) to ws(s); no url = `defaultPath` on this origin. */
export function websocketUrl(url: string, defaultPath: string): string {
  const base = typeof location === 'undefined' ? 'http://localhost/' : location.href;
  const resolved = new URL(url || defaultPath, base);
  if (resolved.protocol === 'http:') resolved.protocol = 'ws:';
  else if (resolved.protocol === 'https:') resolved.protocol = 'wss:';
  return resolved.href;
}

function httpUrl(url: string, defaultPath: string): string {
  const base = typeof location === 'undefined' ? 'http://localhost/' : location.href;
  return new URL(url || defaultPath, base).href;
}

function destroyAnd(driver: Driver, close: () => void): () => void {
  return () => {
    try {
      void Promise.resolve(driver.destroy()).catch(() => {});
    } finally {
      try {
        close();
      } catch {
        // the client is going away anyway
      }
    }
  };
}

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

/**
 * Makes a driver from a name and options, importing the client library it
 * needs only now. Rejects with `MissingDriverPackageError` when it cannot be
 * loaded, and with a plain `Error` for an unknown name.
 */
export async function createDriver(config: DriverConfig): Promise<CreatedDriver> {
  const { name, url, prefix, token, key } = config;
  switch (name) {
    case 'memory': {
      let driver = memoryDrivers.get(prefix);
      if (!driver) memoryDrivers.set(prefix, (driver = new MemoryDriver({ prefix })));
      return { driver, close: () => {} };
    }
    case 'broadcast-channel': {
      const driver = new BroadcastChannelDriver(url || 'peerix', { prefix });
      return { driver, close: destroyAnd(driver, () => {}) };
    }
    case 'mqtt': {
      const mqtt = await load(name, 'mqtt', () => import('mqtt'));
      // mqtt's browser build has a default export only; Node's has named ones.
      const connect = mqtt.connect ?? (mqtt as unknown as { default: typeof mqtt }).default.connect;
      const { MqttDriver } = await import('../src/drivers/mqtt.js');
      const auth = token ? { username: key || 'peerix', password: token } : {};
      const client = await openMqtt((version) => connect(websocketUrl(url, '/mqtt'), { protocolVersion: version, ...auth }));
      const driver = new MqttDriver({ client: client as never, prefix });
      return { driver, close: destroyAnd(driver, () => client.end(true)) };
    }
    case 'nats': {
      const nats = await load(name, '@nats-io/nats-core', () => import('@nats-io/nats-core'));
      const { NatsDriver } = await import('../src/drivers/nats.js');
      const nc = await nats.wsconnect({ servers: websocketUrl(url, '/nats'), ...(token ? { token } : {}) });
      const driver = new NatsDriver({ nc: nc as never, prefix });
      return { driver, close: destroyAnd(driver, () => void nc.close().catch(() => {})) };
    }
    case 'socket-io': {
      const sio = await load(name, 'socket.io-client', () => import('socket.io-client'));
      const { SocketIoDriver } = await import('../src/drivers/socket-io.js');
      const options = token ? { auth: { token } } : {};
      const socket = url ? sio.io(httpUrl(url, '/'), options) : sio.io(options);
      const driver = new SocketIoDriver({ socket: socket as never, prefix });
      return { driver, close: destroyAnd(driver, () => socket.disconnect()) };
    }
    case 'sse': {
      const { SseDriver } = await import('../src/drivers/sse.js');
      const driver = new SseDriver({
        url: httpUrl(url, '/.well-known/mercure'),
        publisher: token ? { headers: { Authorization: `Bearer ${token}` } } : {},
        withCredentials: config.withCredentials,
        prefix,
      });
      return { driver, close: destroyAnd(driver, () => {}) };
    }
    case 'supabase': {
      if (!url || !key) throw new Error('peerix: driver="supabase" needs url (the project URL) and key (its anon key)');
      const supabase = await load(name, '@supabase/supabase-js', () => import('@supabase/supabase-js'));
      const { SupabaseDriver } = await import('../src/drivers/supabase.js');
      const client = supabase.createClient(httpUrl(url, '/'), key);
      const driver = new SupabaseDriver({ supabase: client as never, prefix });
      return { driver, close: destroyAnd(driver, () => void client.removeAllChannels().catch(() => {})) };
    }
    case 'centrifuge': {
      const lib = await load(name, 'centrifuge', () => import('centrifuge'));
      const { CentrifugeDriver } = await import('../src/drivers/centrifuge.js');
      const centrifuge = new lib.Centrifuge(websocketUrl(url, '/connection/websocket'), token ? { token } : {});
      const driver = new CentrifugeDriver({ centrifuge: centrifuge as never, prefix });
      centrifuge.connect();
      return { driver, close: destroyAnd(driver, () => centrifuge.disconnect()) };
    }
    default:
      throw new Error(`peerix: unknown driver "${name}"; use one of ${DRIVER_NAMES.join(', ')}, or set a Driver instance on the driver property`);
  }
}
