// Bundles built from the tsc output in dist/: the engine as UMD (global
// `peerix`) for <script> use, as CommonJS for require('peerix') in Node, and
// as minified ESM (dist/peerix.min.js, only to measure size: not packed).
// The tree-shakable ESM and .d.ts files come from tsc (scripts/build.mjs).
// No source maps: they tripled the tarball; the ESM in dist/src is readable.
//
// Elements (peerix/elements): one self-registering CDN file with Lit bundled
// (dist/peerix-elements.js, package.json "unpkg" and "jsdelivr"), the driver
// client libraries as chunks beside it (dist/peerix-chunks/) loaded on demand,
// and an IIFE for a plain <script> (dist/peerix-elements.iife.js, global
// `peerixElements`) that carries the memory, broadcast-channel and mqtt drivers.
import { build } from 'esbuild';
import terser from '@rollup/plugin-terser';
import nodeResolve from '@rollup/plugin-node-resolve';
import { rollupMinifyCss } from './scripts/minify-css.mjs';

const minify = terser({ ecma: 2020, module: true, compress: { passes: 2 } });
/** For classic scripts: `module: true` would drop the top-level `var peerixElements` (the global) as unused. */
const minifyScript = terser({ ecma: 2020, module: false, compress: { passes: 2 } });

/** Driver client libraries, pre-bundled to ES modules by esbuild (some are CommonJS only, e.g. @nats-io/nats-core). */
const CLIENT_LIBRARIES = ['mqtt', '@nats-io/nats-core', 'socket.io-client', 'centrifuge', '@supabase/supabase-js'];

/**
 * Resolves each driver client library to an esbuild bundle of it (some are
 * CommonJS only), which rollup then splits into its own chunk (it is only
 * imported dynamically) or inlines (the IIFE).
 */
function clientLibraries() {
  const PREFIX = '\0peerix-client:';
  return {
    name: 'peerix-client-libraries',
    resolveId(source) {
      return CLIENT_LIBRARIES.includes(source) ? PREFIX + source : null;
    },
    async load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const name = id.slice(PREFIX.length);
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
      { file: 'dist/peerix.umd.js', format: 'umd', name: 'peerix' },
      { file: 'dist/peerix.umd.min.js', format: 'umd', name: 'peerix', plugins: [minifyScript] },
      { file: 'dist/peerix.cjs', format: 'cjs' },
      { file: 'dist/peerix.min.js', format: 'es', plugins: [minify] },
    ],
  },
  {
    input: { 'peerix-elements': 'dist/elements/bundles/cdn.js' },
    plugins: [rollupMinifyCss(), clientLibraries(), resolve()],
    onwarn,
    // Shared code stays in peerix-elements.js; the chunks import it from there.
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: (chunk) => `peerix-chunks/${chunk.name.replace(/^_peerix-client_/, '')}-[hash].js`,
      plugins: [minify],
    },
  },
  {
    input: 'dist/elements/bundles/iife.js',
    plugins: [rollupMinifyCss(), clientLibraries(), resolve()],
    onwarn,
    output: {
      file: 'dist/peerix-elements.iife.js',
      format: 'iife',
      name: 'peerixElements',
      inlineDynamicImports: true,
      plugins: [minifyScript],
    },
  },
  yjsForDemo,
];
