// Shared helpers of the test servers: free ports, waiting for a port, finding
// a system binary, and child processes that are stopped by PID.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `port` accepts a TCP connection; rejects after `timeout` ms. */
export async function waitForPort(port, { timeout = 10000, host = '127.0.0.1', child } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`${child.spawnfile} exited with code ${child.exitCode} before port ${port} opened:\n${child.output?.() ?? ''}`);
    const ok = await new Promise((resolve) => {
      const socket = connect(port, host);
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`port ${host}:${port} did not open within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Finds a system binary, or throws naming the Debian package to install: never a silent skip. */
export function requireBinary(name, debianPackage) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/sbin'];
  for (const dir of dirs) {
    const path = join(dir, name);
    if (dir && existsSync(path)) return path;
  }
  throw new Error(`${name} not found: install it with "apt-get install -y ${debianPackage}"`);
}

/** Spawns a child whose output is kept (the tail is shown when it fails). */
export function spawnLogged(cmd, args, options = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let log = '';
  const keep = (chunk) => {
    log = (log + chunk).slice(-8000);
    if (process.env.PEERIX_SERVER_LOG) process.stderr.write(`[${cmd.split('/').pop()}] ${chunk}`);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.output = () => log;
  return child;
}

/** Stops a child by PID (SIGTERM, then SIGKILL after `grace` ms) and waits for its exit. */
export function stopChild(child, grace = 3000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch {} }, grace);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    try { process.kill(child.pid, 'SIGTERM'); } catch { clearTimeout(timer); resolve(); }
  });
}

/**
 * Runs one of the runnable Node servers (`servers/*.mjs`, `test/servers/*-stand-in.mjs`)
 * on a free port and resolves when it prints its URL. Returns `{ url, port, pid, close() }`.
 */
export async function startNodeServer(script, args = [], { port: fixed } = {}) {
  const port = fixed ?? (await freePort());
  const child = spawnLogged(process.execPath, [join(ROOT, script), '--port', String(port), '--host', '127.0.0.1', ...args], { cwd: ROOT });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} printed no URL within 10 s:\n${child.output()}`)), 10000);
    const onData = () => {
      const match = child.output().match(/\b((?:https?|wss?):\/\/127\.0\.0\.1:\d+\S*)/);
      if (match) { clearTimeout(timer); child.stdout.off('data', onData); resolve(match[1]); }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${script} exited with ${code}:\n${child.output()}`)); });
  });
  await waitForPort(port, { child });
  return { url, port, pid: child.pid, child, close: () => stopChild(child) };
}

/**
 * A Node server that can be stopped and started again on the same port (for
 * reconnect tests). Returns `{ url, port, stop(), start(), restart(), close() }`.
 */
export async function startRestartableNodeServer(script, args = []) {
  let current = await startNodeServer(script, args);
  const { url, port } = current;
  return {
    url,
    port,
    get pid() { return current?.pid; },
    stop: async () => { const c = current; current = null; await c?.close(); },
    start: async () => { current ??= await startNodeServer(script, args, { port }); },
    async restart() { await this.stop(); await this.start(); },
    close: async () => { const c = current; current = null; await c?.close(); },
  };
}

/**
 * A daemon (`cmd args`) that listens on `ports` and can be stopped and started
 * again on the same ports (broker-restart tests). `close()` also removes `dir`.
 * Returns `{ pid, start(), stop(), restart(), close() }`, started.
 */
export async function startRestartableDaemon(cmd, args, { ports, dir }) {
  let child = null;
  const start = async () => {
    if (child) return;
    child = spawnLogged(cmd, args);
    for (const port of ports) await waitForPort(port, { child });
  };
  const stop = async () => {
    const c = child;
    child = null;
    await stopChild(c);
  };
  await start();
  return {
    get pid() { return child?.pid; },
    start,
    stop,
    restart: async () => { await stop(); await start(); },
    close: async () => { await stop(); if (dir) rmSync(dir, { recursive: true, force: true }); },
  };
}
