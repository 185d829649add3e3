// Bundles built from the tsc output in dist/: the engine as UMD (global
// `peerix`) for <script> use, plus minified ESM used to measure size.
// The tree-shakable ESM and .d.ts files come from tsc (scripts/build.mjs).
//
// Elements (peerix/elements): one self-registering CDN file with Lit bundled
// (dist/peerix-elements.js, package.json "jsdelivr"), the driver client
// libraries as chunks beside it (dist/peerix-chunks/) loaded on demand, and an
// IIFE for a plain <script> (dist/peerix-elements.iife.js) that carries the
// memory, broadcast-channel and mqtt drivers only.
import { build } from 'esbuild';
import terser from '@rollup/plugin-terser';
import nodeResolve from '@rollup/plugin-node-resolve';

const minify = terser({ ecma: 2020, module: true, compress: { passes: 2 } });

/** Driver client libraries, pre-bundled to ES modules by esbuild (some are CommonJS only, e.g. @nats-io/nats-core). */
const CLIENT_LIBRARIES = ['mqtt', '@nats-io/nats-core', 'socket.io-client', 'centrifuge', '@supabase/supabase-js'];

/**
 * Resolves each driver client library to an esbuild bundle of it, which
 * rollup then splits into its own chunk (it is only imported dynamically).
 * `only`: libraries to bundle; the others become a module that rejects with
 * a message naming the build that has them.
 */
function clientLibraries({ only = CLIENT_LIBRARIES } = {}) {
  const PREFIX = '\0peerix-client:';
  return {
    name: 'peerix-client-libraries',
    resolveId(source) {
      return CLIENT_LIBRARIES.includes(source) ? PREFIX + source : null;
    },
    async load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const name = id.slice(PREFIX.length);
      if (!only.includes(name)) {
        return `throw new Error(${JSON.stringify(`${name} is not part of peerix-elements.iife.js: load the ES module build (peerix-elements.js) to use this driver`)});`;
      }
      const result = await build({
        stdin: { contents: `import * as ns from '${name}'; export * from '${name}'; export default ns.default ?? ns;`, resolveDir: process.cwd(), loader: 'js' },
        bundle: true,
        format: 'esm',
        platform: 'browser',
        conditions: ['browser'],
        mainFields: ['browser', 'module', 'main'],
        target: 'es2020',
        write: false,
        logLevel: 'silent',
        define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
      });
      return result.outputFiles[0].text;
    },
  };
}

const resolve = () => nodeResolve({ browser: true, exportConditions: ['browser', 'production'] });

/** tsc's decorator helper reads `this` at module scope: harmless. */
const onwarn = (warning, warn) => {
  if (warning.code !== 'THIS_IS_UNDEFINED') warn(warning);
};

/**
 * Yjs and y-protocols as ES modules for demo/yjs.html (its import map points the bare
 * names here). The package's own peerix/addons/yjs entry never bundles them.
 */
const yjsForDemo = {
  input: { yjs: 'yjs', 'y-protocols-awareness': 'y-protocols/awareness', 'y-protocols-sync': 'y-protocols/sync' },
  plugins: [resolve()],
  preserveEntrySignatures: 'strict',
  output: { dir: 'dist/vendor', format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', plugins: [minify] },
};

export default [
  {
    input: 'dist/src/index.js',
    output: [
      { file: 'dist/peerix.umd.js', format: 'umd', name: 'peerix', sourcemap: true },
      { file: 'dist/peerix.umd.min.js', format: 'umd', name: 'peerix', sourcemap: true, plugins: [minify] },
      { file: 'dist/peerix.min.js', format: 'es', sourcemap: true, plugins: [minify] },
    ],
  },
  {
    input: { 'peerix-elements': 'dist/elements/index.js' },
    plugins: [clientLibraries(), resolve()],
    onwarn,
    // Shared code stays in peerix-elements.js; the chunks import it from there.
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: (chunk) => `peerix-chunks/${chunk.name.replace(/^_peerix-client_/, '')}-[hash].js`,
      sourcemap: true,
      plugins: [minify],
    },
  },
  {
    input: 'dist/elements/index.js',
    plugins: [clientLibraries({ only: ['mqtt'] }), resolve()],
    onwarn,
    output: {
      file: 'dist/peerix-elements.iife.js',
      format: 'iife',
      name: 'peerixElements',
      inlineDynamicImports: true,
      sourcemap: true,
      plugins: [minify],
    },
  },
  yjsForDemo,
];
