// @custom-elements-manifest/analyzer: `npm run analyze` writes custom-elements.json
// (committed) from the JSDoc of the element classes in elements/.
export default {
  globs: ['elements/*.ts'],
  exclude: ['elements/*.styles.ts', 'elements/index.ts'],
  outdir: '.',
  litelement: true,
  dependencies: false,
};
