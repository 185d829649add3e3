#!/usr/bin/env node
// Builds dist/: the TypeScript compiler emits tree-shakable ESM with .d.ts twice
// from one program, rollup adds the bundles.
// - dist/src, dist/elements: the production build. Error messages are stripped
//   (scripts/strip-error-messages.mjs): a PeerixError says its code, a few words
//   and where docs/errors.md explains it. Every bundle is made from these.
// - dist/development/src, dist/development/elements: the same modules with the
//   full error messages, no .d.ts (the types are the same); package.json
//   `exports` selects them with the `development` condition (as Lit does).
// - Debug logging (src/debug.ts) is development-only too: the production
//   modules carry no log calls (scripts/strip-debug-logs.mjs).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';
import { stripDebugLogs } from './strip-debug-logs.mjs';
import { stripErrorMessages } from './strip-error-messages.mjs';

function step(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function fail(diagnostics) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: ts.sys.getCurrentDirectory, getNewLine: () => '\n' };
  console.error(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  process.exit(1);
}

rmSync('dist', { recursive: true, force: true });
const config = ts.getParsedCommandLineOfConfigFile('tsconfig.build.json', {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail([d]) });
if (config.errors.length) fail(config.errors);
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences });
const diagnostics = ts.getPreEmitDiagnostics(program);
if (diagnostics.length) fail(diagnostics);

const stats = { stripped: 0, logs: 0 };
const production = program.emit(undefined, undefined, undefined, false, { before: [stripErrorMessages(program, stats), stripDebugLogs(program, stats)] });
if (production.emitSkipped || production.diagnostics.length) fail(production.diagnostics);

const dist = resolve(config.options.outDir);
const development = resolve(dist, 'development');
const writeDevelopment = (file, text) => {
  if (file.endsWith('.d.ts')) return;
  const target = resolve(development, relative(dist, file));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
};
const dev = program.emit(undefined, writeDevelopment);
if (dev.emitSkipped || dev.diagnostics.length) fail(dev.diagnostics);
console.log(`build: ${stats.stripped} error messages and ${stats.logs} debug log calls stripped from the production modules (full text and logs in dist/development/)`);

step('npx', ['rollup', '-c', 'rollup.config.mjs']);
// require('peerix/elements') in Node: the elements are browser ES modules; say so.
writeFileSync('dist/peerix-elements.cjs', `throw new Error("peerix/elements is an ES module for browsers: import 'peerix/elements' (a bundler or <script type=module>); in Node, require('peerix') gives the engine");\n`);
