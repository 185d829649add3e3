import { DRIVERS } from './driver-descriptors/index.js';
import type { CreatedDriver, DriverConfig, DriverDescriptor } from './driver-descriptor.js';

export { websocketUrl, type CreatedDriver, type DriverConfig, type DriverDescriptor } from './driver-descriptor.js';

/** The names `<peerix-room driver="…">` accepts (each driver's descriptor names itself). */
export type DriverName = (typeof DRIVERS)[number]['name'];

export const DRIVER_NAMES: readonly DriverName[] = DRIVERS.map((d) => d.name);

/** The npm packages of the drivers' client libraries. */
export type DriverClientPackage = NonNullable<(typeof DRIVERS)[number]['client']>['package'];

/** Import the given package (usually `() => import('mqtt')`, so bundlers split it off). */
export type DriverClientLoader = () => Promise<unknown> | unknown;

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
 * Loads a descriptor's client library; the export it calls is found on the
 * module or on its default export (a CommonJS or browser build may have only that).
 */
async function loadClient({ name, client }: DriverDescriptor): Promise<unknown> {
  if (!client) throw new Error(`peerix: driver="${name}" has no client library to load`);
  let module: unknown;
  try {
    const loader = clientLoaders.get(client.package);
    // Not registered: a native import, which works where the page has an import map for it.
    // The specifier is a variable on purpose: bundlers must not try to resolve it.
    const specifier: string = client.package;
    module = loader ? await loader() : await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
  } catch (error) {
    throw new MissingDriverPackageError(name, client.package, error);
  }
  const named = module as Record<string, unknown> | null;
  if (named && client.entry in named) return named;
  const fallback = named?.default as Record<string, unknown> | undefined;
  if (fallback && client.entry in fallback) return fallback;
  throw new MissingDriverPackageError(name, client.package, new Error(`${client.package} loaded without a "${client.entry}" export`));
}

/**
 * Makes a driver from a name and options, importing the client library it
 * needs only now. Rejects with `MissingDriverPackageError` when it cannot be
 * loaded, and with a plain `Error` for an unknown name.
 */
export async function createDriver(config: DriverConfig): Promise<CreatedDriver> {
  const descriptor: DriverDescriptor | undefined = DRIVERS.find((d) => d.name === config.name);
  if (!descriptor) {
    throw new Error(`peerix: unknown driver "${config.name}"; use one of ${DRIVER_NAMES.join(', ')}, or set a Driver instance on the driver property`);
  }
  return descriptor.create(config, () => loadClient(descriptor));
}
