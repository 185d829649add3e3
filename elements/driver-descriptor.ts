import type { Driver } from '../src/index.js';

/** What a driver is made from: the room's attributes. */
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

/**
 * How `<peerix-room driver="…">` makes one driver: its name, the npm package of
 * its client library (loaded on demand, see `provideDriverClient`) and how to
 * build the client and the driver from the room's attributes.
 */
export interface DriverDescriptor<Name extends string = string, Package extends string = string> {
  /** The value of the `driver` attribute. */
  readonly name: Name;
  /** The client library, and the export `create` calls (found on the module or its default export). */
  readonly client?: { readonly package: Package; readonly entry: string };
  /** Builds the driver; `loadClient()` loads the client library (checks of the attributes go first). */
  create(config: DriverConfig, loadClient: () => Promise<unknown>): Promise<CreatedDriver> | CreatedDriver;
}

/** Declares a driver (keeps its name and package as literal types). */
export function defineDriver<const Name extends string, const Package extends string = never>(descriptor: DriverDescriptor<Name, Package>): DriverDescriptor<Name, Package> {
  return descriptor;
}

/** Resolves `url` against the page, mapping http(s) to ws(s); no url = `defaultPath` on this origin. */
export function websocketUrl(url: string, defaultPath: string): string {
  const resolved = new URL(url || defaultPath, pageUrl());
  if (resolved.protocol === 'http:') resolved.protocol = 'ws:';
  else if (resolved.protocol === 'https:') resolved.protocol = 'wss:';
  return resolved.href;
}

/** Resolves `url` against the page; no url = `defaultPath` on this origin. */
export function httpUrl(url: string, defaultPath: string): string {
  return new URL(url || defaultPath, pageUrl()).href;
}

function pageUrl(): string {
  return typeof location === 'undefined' ? 'http://localhost/' : location.href;
}

/** A `CreatedDriver` whose `close` destroys the driver, then closes its client (errors ignored: both are going away). */
export function created(driver: Driver, closeClient: () => void = () => {}): CreatedDriver {
  return {
    driver,
    close: () => {
      try {
        void Promise.resolve(driver.destroy()).catch(() => {});
      } finally {
        try {
          closeClient();
        } catch {
          // the client is going away anyway
        }
      }
    },
  };
}

/**
 * A `create` whose code loads on first use: `load` imports a module that exports
 * the real `create` (the network drivers' connect code stays out of the page until
 * a room uses that driver).
 */
export function lazyCreate(load: () => Promise<{ create: DriverDescriptor['create'] }>): DriverDescriptor['create'] {
  return async (config, loadClient) => (await load()).create(config, loadClient);
}
