import { expect } from '@open-wc/testing';
import type { CSSResult } from 'lit';
import { minifyCss, minifyCssTemplates } from '../../scripts/minify-css.mjs';
import { loadElements } from './helpers.js';

/**
 * The rules a stylesheet of `text` holds, as the browser serializes them. A value with a
 * `var()` is kept as written tokens, so the browser keeps the spaces after its commas; they
 * are not significant (whitespace tokens beside a comma), so they are left out of the comparison.
 */
function rules(text: string): string[] {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text);
  return [...sheet.cssRules].map((rule) => rule.cssText.replace(/, /g, ','));
}

describe('build-time CSS minification (scripts/minify-css.mjs)', () => {
  it('every element stylesheet parses to the same rules, minified, and is smaller', async () => {
    await loadElements();
    const tags = ['peerix-room', 'peerix-local-media', 'peerix-remote-videos', 'peerix-chat', 'peerix-screen-share', 'peerix-file-share', 'peerix-record-button', 'peerix-conference'];
    let before = 0;
    let after = 0;
    for (const tag of tags) {
      const element = customElements.get(tag) as unknown as { elementStyles: CSSResult[] };
      for (const style of element.elementStyles) {
        const text = style.cssText;
        const min = minifyCss(text);
        expect(rules(min), `${tag}: ${text.slice(0, 60)}`).to.deep.equal(rules(text));
        expect(min).not.to.match(/\/\*|\n|  /);
        before += text.length;
        after += min.length;
      }
    }
    expect(after).to.be.below(before * 0.85);
  });

  it('keeps strings, significant spaces, and the expressions of a template', () => {
    expect(minifyCss(`a :hover , b > c {\n  content: '  x ; y  ';\n  margin: 0 auto ; /* note */\n}`)).to.equal(`a :hover,b > c{content:'  x ; y  ';margin:0 auto}`);
    const code = 'const s = css`\n  a {\n    padding: ${x} ${y};\n    color: red;\n  }\n`;\nconst t = `  keep  `;';
    expect(minifyCssTemplates(code)).to.equal('const s = css`a{padding:${x} ${y};color:red}`;\nconst t = `  keep  `;');
    // What tsc emits (and rollup reads): a space between the tag and the template.
    expect(minifyCssTemplates('export const s = css `\n  a {\n    color: red;\n  }\n`;')).to.equal('export const s = css `a{color:red}`;');
  });
});
