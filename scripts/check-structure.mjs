#!/usr/bin/env node
// Structure rules of src/ (docs/ARCHITECTURE.md): no import cycle (type-only
// imports and re-exports count too) and no file over MAX_LINES lines.
// Run by `npm test`'s typecheck part; `node scripts/check-structure.mjs` alone works too.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX_LINES = 360;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const files = walk(src);
const problems = [];
const graph = new Map();
// import … from '…', export … from '…', import '…', import('…')
const specifier = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > MAX_LINES) problems.push(`${relative(root, file)}: ${lines} lines (at most ${MAX_LINES})`);
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  const deps = new Set();
  for (const match of code.matchAll(specifier)) {
    const spec = match[1] ?? match[2] ?? match[3];
    if (!spec.startsWith('.')) continue;
    const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
    if (files.includes(target)) deps.add(target);
  }
  graph.set(file, deps);
}

// Depth-first search; a back edge is a cycle.
const state = new Map();
const stack = [];
const cycles = new Set();
function visit(node) {
  state.set(node, 'open');
  stack.push(node);
  for (const next of graph.get(node) ?? []) {
    if (state.get(next) === 'open') {
      const cycle = stack.slice(stack.indexOf(next)).map((f) => relative(src, f));
      cycles.add([...cycle, relative(src, next)].join(' → '));
    } else if (!state.has(next)) {
      visit(next);
    }
  }
  stack.pop();
  state.set(node, 'done');
}
for (const file of files) if (!state.has(file)) visit(file);
for (const cycle of cycles) problems.push(`import cycle: ${cycle}`);

if (problems.length) {
  console.error(`src/ structure: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`src/ structure: ${files.length} files, no import cycle, none over ${MAX_LINES} lines`);
