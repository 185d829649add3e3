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
        ` (npm install ${packageName} and import 'peerix/elements/drivers/${driver}', or use the CDN file peerix-elements.js, which ships it beside it)`,
      { cause },
    );
    this.name = 'MissingDriverPackageError';
    this.packageName = packageName;
  }
}

/** Same-page peers with `driver="memory"` meet on one shared driver per prefix. */
const memoryDrivers = new Map<string, MemoryDriver>();

/** The npm packages of the drivers' client libraries. */
export type DriverClientPackage = 'mqtt' | '@nats-io/nats-core' | 'socket.io-client' | '@supabase/supabase-js' | 'centrifuge';

/** Import the given package (usually `() => import('mqtt')`, so bundlers split it off). */
export type DriverClientLoader = () => Promise<unknown> | unknown;

const clientLoaders = new Map<string, DriverClientLoader>();

/**
 * Tells the elements how to load a driver's client library. `peerix/elements`
 * imports none of them, so a bundler needs only those the app uses:
 * `import 'peerix/elements/drivers/mqtt'` registers `() => import('mqtt')`.
 * The CDN file registers all of them (each a chunk loaded on demand).
 */
export function provideDriverClient(packageName: DriverClientPackage, loader: DriverClientLoader): void {
  clientLoaders.set(packageName, loader);
}

/**
 * Loads a client library; `entry` is the export the factory calls, found on the
 * module or on its default export (a CommonJS or browser build may have only that).
 */
async function load<T>(driver: string, packageName: DriverClientPackage, entry: string): Promise<T> {
  let module: unknown;
  try {
    const loader = clientLoaders.get(packageName);
    // Not registered: a native import, which works where the page has an import map for it.
    // The specifier is a variable on purpose: bundlers must not try to resolve it.
    const specifier: string = packageName;
    module = loader ? await loader() : await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
  } catch (error) {
    throw new MissingDriverPackageError(driver, packageName, error);
  }
  const named = module as Record<string, unknown> | null;
  if (named && entry in named) return named as T;
  const fallback = named?.default as Record<string, unknown> | undefined;
  if (fallback && entry in fallback) return fallback as T;
  throw new MissingDriverPackageError(driver, packageName, new Error(`${packageName} loaded without a "${entry}" export`));
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
      const mqtt = await load<typeof import('mqtt')>(name, 'mqtt', 'connect');
      const connect = mqtt.connect.bind(mqtt);
      const { MqttDriver } = await import('../src/drivers/mqtt.js');
      const auth = token ? { username: key || 'peerix', password: token } : {};
      const client = await openMqtt((version) => connect(websocketUrl(url, '/mqtt'), { protocolVersion: version, ...auth }));
      const driver = new MqttDriver({ client: client as never, prefix });
      return { driver, close: destroyAnd(driver, () => client.end(true)) };
    }
    case 'nats': {
      const nats = await load<typeof import('@nats-io/nats-core')>(name, '@nats-io/nats-core', 'wsconnect');
      const { NatsDriver } = await import('../src/drivers/nats.js');
      const nc = await nats.wsconnect({ servers: websocketUrl(url, '/nats'), ...(token ? { token } : {}) });
      const driver = new NatsDriver({ nc: nc as never, prefix });
      return { driver, close: destroyAnd(driver, () => void nc.close().catch(() => {})) };
    }
    case 'socket-io': {
      const sio = await load<typeof import('socket.io-client')>(name, 'socket.io-client', 'io');
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
      const supabase = await load<typeof import('@supabase/supabase-js')>(name, '@supabase/supabase-js', 'createClient');
      const { SupabaseDriver } = await import('../src/drivers/supabase.js');
      const client = supabase.createClient(httpUrl(url, '/'), key);
      const driver = new SupabaseDriver({ supabase: client as never, prefix });
      return { driver, close: destroyAnd(driver, () => void client.removeAllChannels().catch(() => {})) };
    }
    case 'centrifuge': {
      const lib = await load<typeof import('centrifuge')>(name, 'centrifuge', 'Centrifuge');
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
