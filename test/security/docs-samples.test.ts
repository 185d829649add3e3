/**
 * Runs the ```js samples of docs/SECURITY.md as written, with `from 'peerix'`
 * bound to the engine's public entry.
 */
import { expect } from '@open-wc/testing';
import * as peerix from '../../src/index.js';

async function samples(path: string): Promise<string[]> {
  const text = await (await fetch(path)).text();
  return [...text.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe('docs/SECURITY.md samples', () => {
  it('every js sample runs', async () => {
    const blocks = await samples('/docs/SECURITY.md');
    expect(blocks.length).to.be.greaterThan(0);
    (globalThis as { __peerix?: unknown }).__peerix = peerix;
    const logged: unknown[] = [];
    const console = { log: (...args: unknown[]) => logged.push(args.join(' ')) };
    for (const block of blocks) {
      const code = block.replace(/import \{([^}]*)\} from 'peerix';/g, 'const {$1} = globalThis.__peerix;');
      const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (c: unknown) => Promise<void>;
      await new AsyncFunction('console', code)(console);
    }
    expect(String(logged[0])).to.match(/#[A-Za-z0-9_-]{22}$/);
  });
});
