// Runs every ```js sample of docs/addons/recorder.md and docs/addons/mixer.md in
// the browser, with the package's entry names mapped to the sources.
import { expect } from '@open-wc/testing';

const ENTRIES: Record<string, string> = {
  peerix: '/src/index.ts',
  'peerix/addons/recorder': '/src/addons/recorder/index.ts',
  'peerix/addons/mixer': '/src/addons/mixer/index.ts',
};

async function samples(page: string): Promise<string[]> {
  const text = await (await fetch(`/docs/addons/${page}.md`)).text();
  return [...text.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** Runs one sample as a module; resolves when its top-level code (awaits included) has finished. */
async function run(code: string): Promise<void> {
  const source = code.replace(/from '([^']+)'/g, (all, name: string) => {
    const path = ENTRIES[name];
    if (!path) throw new Error(`sample imports ${name}, which is not a package entry`);
    return `from '${location.origin}${path}'`;
  });
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  try {
    await import(/* @vite-ignore */ url);
  } finally {
    URL.revokeObjectURL(url);
  }
}

for (const page of ['recorder', 'mixer']) {
  describe(`docs/addons/${page}.md samples`, () => {
    it('every sample runs to its end without an error', async function () {
      this.timeout(90000);
      const list = await samples(page);
      expect(list.length).to.be.greaterThan(1);
      for (const [i, code] of list.entries()) {
        try {
          await run(code);
        } catch (error) {
          throw new Error(`sample ${i + 1} of ${page}.md failed: ${(error as Error).message}`);
        }
      }
    });
  });
}
