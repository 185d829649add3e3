#!/usr/bin/env node
// Reference SSE hub for Peerix's SseDriver: the subset of the Mercure protocol
// the driver uses, on plain node:http.
//
//   node servers/sse-hub.mjs [--port 8080] [--host 0.0.0.0] [--token SECRET]
//   (or PORT / HOST / PEERIX_SSE_TOKEN in the environment)
//
//   GET  /.well-known/mercure?topic=a&topic=b   an event stream of the updates on a and b
//   POST /.well-known/mercure                   form fields `topic` (one or more) and `data`
//
// Every update gets an `id:` (urn:uuid:…), like Mercure. With a token, POST
// needs `Authorization: Bearer <token>` (a stand-in for Mercure's publisher
// JWT: the hub compares the text, it does not verify a signature).
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

/** Largest accepted POST body (bytes). */
export const MAX_BODY = 256 * 1024;
const MAX_TOPICS = 256;

export async function startSseHub({ port = 8080, host = '127.0.0.1', path = '/.well-known/mercure', token, keepAlive = 15000, server } = {}) {
  /** topic → Set of open responses */
  const topics = new Map();
  const streams = new Set();

  const cors = (req, res) => {
    res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('vary', 'origin');
  };

  const handle = (req, res) => {
    const url = new URL(req.url, 'http://hub');
    if (url.pathname !== path) return false;
    cors(req, res);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'authorization, content-type, last-event-id',
        'access-control-max-age': '600',
      }).end();
    } else if (req.method === 'GET') {
      subscribe(url.searchParams.getAll('topic'), req, res, Number(url.searchParams.get('retry')) || 1000);
    } else if (req.method === 'POST') {
      publish(req, res);
    } else {
      res.writeHead(405, { allow: 'GET, POST, OPTIONS' }).end();
    }
    return true;
  };

  function subscribe(list, req, res, retry) {
    const wanted = [...new Set(list)];
    if (!wanted.length || wanted.length > MAX_TOPICS) return void res.writeHead(400).end('one to 256 topic parameters\n');
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(`:\nretry: ${Math.min(Math.max(retry, 100), 60000)}\n\n`); // the browser's reconnect delay (?retry=ms)
    for (const t of wanted) {
      if (!topics.has(t)) topics.set(t, new Set());
      topics.get(t).add(res);
    }
    streams.add(res);
    const timer = setInterval(() => res.write(':\n\n'), keepAlive);
    const cleanup = () => {
      clearInterval(timer);
      streams.delete(res);
      for (const t of wanted) {
        const set = topics.get(t);
        set?.delete(res);
        if (set?.size === 0) topics.delete(t);
      }
    };
    req.on('close', cleanup);
    res.on('error', cleanup);
  }

  function publish(req, res) {
    if (token && req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401).end('unauthorized\n');
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) return void res.writeHead(415).end('form data expected\n');
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        res.writeHead(413, { connection: 'close' }).end('too large\n');
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) return;
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const targets = form.getAll('topic');
      if (!targets.length) return void res.writeHead(400).end('missing topic\n');
      const id = `urn:uuid:${randomUUID()}`;
      const lines = (form.get('data') ?? '').split(/\r\n|\r|\n/).map((l) => `data: ${l}\n`).join('');
      const event = `id: ${id}\n${lines}\n`;
      const sent = new Set();
      for (const t of targets) {
        for (const stream of topics.get(t) ?? []) {
          if (sent.has(stream)) continue; // one copy per stream, however many of its topics match
          sent.add(stream);
          stream.write(event);
        }
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end(id);
    });
  }

  const http = server ?? createServer((req, res) => {
    if (!handle(req, res)) res.writeHead(404).end();
  });
  if (server) {
    // Put the hub in front of the server's own request listeners.
    const others = server.listeners('request');
    server.removeAllListeners('request');
    server.on('request', (req, res) => { if (!handle(req, res)) for (const l of others) l.call(server, req, res); });
  } else {
    await new Promise((resolve, reject) => http.once('error', reject).listen(port, host, resolve));
  }
  const actual = http.address()?.port ?? port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}${path}`,
    port: actual,
    /** Open streams (for tests). */
    get streams() { return streams.size; },
    close: () => new Promise((resolve) => {
      for (const s of streams) s.destroy();
      if (server) return resolve();
      http.closeAllConnections?.();
      http.close(() => resolve());
    }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
  const { url } = await startSseHub({
    port: Number(arg('port') ?? process.env.PORT ?? 8080),
    host: arg('host') ?? process.env.HOST ?? '0.0.0.0',
    token: arg('token') ?? process.env.PEERIX_SSE_TOKEN,
  });
  console.log(`peerix SSE hub on ${url}`);
}
