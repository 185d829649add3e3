// `node --import ./test/e2e/peerix-from-source.mjs program.mjs` runs a program
// that imports 'peerix' against the engine bundled from src/ (the file named by
// PEERIX_BUNDLE), so the examples are tested without a build of dist/.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

if (!process.env.PEERIX_BUNDLE) throw new Error('PEERIX_BUNDLE must name the bundled engine (see test/e2e/node-peer.mjs bundleEngine)');
const target = pathToFileURL(process.env.PEERIX_BUNDLE).href;
const hooks = `export async function resolve(specifier, context, next) {
  return specifier === 'peerix' ? { url: ${JSON.stringify(target)}, shortCircuit: true } : next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, import.meta.url);
