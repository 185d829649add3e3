#!/usr/bin/env node
// Builds dist/: tsc emits tree-shakable ESM with .d.ts, rollup adds the bundles.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';

function step(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

rmSync('dist', { recursive: true, force: true });
step('npx', ['tsc', '-p', 'tsconfig.build.json']);
step('npx', ['rollup', '-c', 'rollup.config.mjs']);
// require('peerix/elements') in Node: the elements are browser ES modules; say so.
writeFileSync('dist/peerix-elements.cjs', `throw new Error("peerix/elements is an ES module for browsers: import 'peerix/elements' (a bundler or <script type=module>); in Node, require('peerix') gives the engine");\n`);
