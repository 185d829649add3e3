#!/usr/bin/env node
// Builds dist/: tsc emits tree-shakable ESM with .d.ts, rollup adds the bundles.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

function step(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

rmSync('dist', { recursive: true, force: true });
step('npx', ['tsc', '-p', 'tsconfig.build.json']);
step('npx', ['rollup', '-c', 'rollup.config.mjs']);
