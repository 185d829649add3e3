// @nats-io/nats-core ships CommonJS only; browsers need an ES module that names
// its exports. This pre-bundles it once with esbuild and serves it in its place.
import { createRequire } from 'node:module';
import { build } from 'esbuild';

export const NATS_CORE_PATH = '/__peerix/nats-core.js';

let bundled;
/** The ES module text of @nats-io/nats-core (built once per process). */
export async function bundleNatsCore() {
  // `export *` of a CommonJS module names nothing: list the names it exports.
  const names = Object.keys(createRequire(import.meta.url)('@nats-io/nats-core')).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');
  const contents = `import * as nats from '@nats-io/nats-core';\nexport const { ${names.join(', ')} } = nats;\nexport default nats;`;
  bundled ??= build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0].text);
  return bundled;
}

/** A @web/dev-server plugin that answers `@nats-io/nats-core` with the bundle. */
export function natsCorePlugin() {
  return {
    name: 'peerix-nats-core',
    resolveImport({ source }) {
      if (source === '@nats-io/nats-core') return NATS_CORE_PATH;
      return undefined;
    },
    async serve(context) {
      if (context.path === NATS_CORE_PATH) return { body: await bundleNatsCore(), type: 'js' };
      return undefined;
    },
  };
}
