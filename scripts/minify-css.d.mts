// Types of scripts/minify-css.mjs (imported by the browser test that checks it).
export function minifyCss(text: string): string;
export function minifyCssTemplates(code: string): string;
export function rollupMinifyCss(): { name: string; transform(code: string, id: string): { code: string; map: null } | null };
export function esbuildMinifyCss(readFile: (path: string, encoding: 'utf8') => Promise<string>): { name: string; setup(build: unknown): void };
