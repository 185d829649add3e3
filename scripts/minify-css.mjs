// Build-time CSS minification for the elements: the text of every Lit `css`
// tagged template loses its comments and the whitespace CSS does not need.
// esbuild and terser leave template text alone (it is a string to them), so
// without this the indentation of elements/*.styles.ts ships in the CDN file.
//
// Used as a rollup plugin (rollup.config.mjs, the CDN and IIFE bundles) and as
// an esbuild plugin (measurements). Pure string code, no Node API: the browser
// test (test/elements/minify-css.test.ts) checks that each stylesheet parses to
// the same rules before and after.

/** The CSS text `text` without comments and needless whitespace (strings kept as they are). */
export function minifyCss(text) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
      out += ' ';
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (/\s/.test(c)) {
      out += ' ';
      while (/\s/.test(text[i + 1] ?? '')) i++;
    } else out += c;
  }
  // No space around braces, semicolons and commas, nor after a colon; no `;` before `}`.
  // (Not before a colon: `a :hover` and `a:hover` differ.) Strings are kept by splitting them out.
  return out
    .split(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/)
    .map((part, index) => (index % 2 ? part : part.replace(/ *([{};,]) */g, '$1').replace(/: +/g, ':').replace(/;}/g, '}')))
    .join('')
    .trim();
}

/**
 * `code` (JavaScript or TypeScript) with the static text of each css`…` template
 * minified; `${…}` expressions are left in place. Returns `code` itself when
 * there is nothing to do.
 */
export function minifyCssTemplates(code) {
  // tsc writes `css \`…\`` (a space after the tag).
  const tag = /\bcss\s*`/g;
  let out = '';
  let last = 0;
  let match;
  while ((match = tag.exec(code))) {
    const start = match.index + match[0].length;
    const chunks = [];
    let i = start;
    let chunkStart = start;
    for (; i < code.length && code[i] !== '`'; i++) {
      if (code[i] === '\\') i++;
      else if (code[i] === '$' && code[i + 1] === '{') {
        chunks.push([chunkStart, i]);
        let depth = 0;
        for (i += 1; i < code.length; i++) {
          if (code[i] === '{') depth++;
          else if (code[i] === '}' && --depth === 0) break;
        }
        chunkStart = i + 1;
      }
    }
    if (i >= code.length) break; // unterminated: leave the rest alone
    chunks.push([chunkStart, i]);
    out += code.slice(last, start);
    let cursor = start;
    for (const [from, to] of chunks) {
      out += code.slice(cursor, from);
      // Keep one space where the static text met an expression with whitespace.
      const text = code.slice(from, to);
      let min = minifyCss(text);
      if (!min && /\s/.test(text) && from > start && to < i) min = ' ';
      else if (from > start && /^\s/.test(text) && min && !/^[{};,:]/.test(min)) min = ` ${min}`;
      if (to < i && /\s$/.test(text) && min.trim() && !/[{};,:]$/.test(min)) min = `${min} `;
      out += min;
      cursor = to;
    }
    last = i;
    tag.lastIndex = i + 1;
  }
  return last === 0 ? code : out + code.slice(last);
}

const ELEMENTS = /[\\/]elements[\\/][^\\/]+\.(?:js|ts)$/;

/** Rollup plugin: minifies the css`…` text of the elements' modules. */
export function rollupMinifyCss() {
  return {
    name: 'peerix-minify-css',
    transform(code, id) {
      if (!ELEMENTS.test(id) || !/\bcss\s*`/.test(code)) return null;
      const result = minifyCssTemplates(code);
      return result === code ? null : { code: result, map: null };
    },
  };
}

/** esbuild plugin: the same, for the elements' TypeScript sources. */
export function esbuildMinifyCss(readFile) {
  return {
    name: 'peerix-minify-css',
    setup(build) {
      build.onLoad({ filter: ELEMENTS }, async (args) => {
        const code = await readFile(args.path, 'utf8');
        if (!/\bcss\s*`/.test(code)) return undefined;
        return { contents: minifyCssTemplates(code), loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
      });
    },
  };
}
