// Bundles built from the tsc output in dist/: the engine as UMD (global
// `peerix`) for <script> use, plus minified ESM used to measure size.
// The tree-shakable ESM and .d.ts files come from tsc (scripts/build.mjs).
import terser from '@rollup/plugin-terser';

const minify = terser({ ecma: 2020, module: true, compress: { passes: 2 } });

export default [
  {
    input: 'dist/src/index.js',
    output: [
      { file: 'dist/peerix.umd.js', format: 'umd', name: 'peerix', sourcemap: true },
      { file: 'dist/peerix.umd.min.js', format: 'umd', name: 'peerix', sourcemap: true, plugins: [minify] },
      { file: 'dist/peerix.min.js', format: 'es', sourcemap: true, plugins: [minify] },
    ],
  },
];
