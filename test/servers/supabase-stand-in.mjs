#!/usr/bin/env node
// STAND-IN for Supabase Realtime, written for Peerix's tests: no Supabase
// server can run here. It speaks the part of the Phoenix channels protocol
// that @supabase/realtime-js uses for broadcast, at the path the client uses
// (`<project url>/realtime/v1/websocket?apikey=…&vsn=…`):
//
//   text frames, JSON arrays [join_ref, ref, topic, event, payload] (vsn 1.0.0 and 2.0.0)
//     phx_join (config.broadcast.self/ack) → phx_reply ok   phx_leave → phx_reply ok + phx_close
//     heartbeat on topic "phoenix" → phx_reply ok          access_token → accepted, no reply
//     broadcast {type, event, payload} → relayed (text) to the other joiners of the topic
//   binary frames (vsn 2.0.0): kind 3 "user broadcast push" from the client, relayed to
//     the other joiners as kind 4 "user broadcast" (the layout realtime-js decodes)
//
// Not implemented: presence, postgres_changes, RLS/private channels, the REST
// broadcast endpoint, token checks. Run: node test/servers/supabase-stand-in.mjs --port 54321
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';

export async function startSupabaseStandIn({ port = 54321, host = '127.0.0.1' } = {}) {
  const http = createServer((req, res) => res.writeHead(404, { 'access-control-allow-origin': '*' }).end());
  const wss = new WebSocketServer({ server: http, path: '/realtime/v1/websocket', maxPayload: 1024 * 1024 });
  /** topic → Map<ws, { joinRef, self, ack }> */
  const topics = new Map();
  const log = process.env.PEERIX_SERVER_LOG ? (...a) => console.log('[supabase]', ...a) : () => {};

  const send = (ws, frame) => ws.readyState === ws.OPEN && ws.send(typeof frame === 'string' ? frame : frame, { binary: typeof frame !== 'string' });
  const reply = (ws, joinRef, ref, topic, response = {}, status = 'ok') =>
    send(ws, JSON.stringify([joinRef, ref, topic, 'phx_reply', { status, response }]));

  function relay(ws, topic, event, payload, binaryPayload, encoding) {
    const members = topics.get(topic);
    const me = members?.get(ws);
    if (!me) return false;
    for (const [other] of members) {
      if (other === ws && !me.self) continue;
      if (binaryPayload) {
        const t = Buffer.from(topic), e = Buffer.from(event);
        send(other, Buffer.concat([Buffer.from([4, t.length, e.length, 0, encoding]), t, e, binaryPayload]));
      } else {
        send(other, JSON.stringify([null, null, topic, 'broadcast', { type: 'broadcast', event, payload }]));
      }
    }
    return me.ack;
  }

  wss.on('connection', (ws, req) => {
    log('connect', req.url);
    const joined = new Set();
    ws.on('message', (data, isBinary) => {
      try {
        if (isBinary) {
          const b = Buffer.from(data);
          if (b[0] !== 3) return;
          const [joinLen, refLen, topicLen, eventLen, metaLen, encoding] = b.subarray(1, 7);
          let o = 7;
          const take = (n) => b.subarray(o, (o += n)).toString('utf8');
          const joinRef = take(joinLen), ref = take(refLen), topic = take(topicLen), event = take(eventLen);
          take(metaLen);
          if (relay(ws, topic, event, null, b.subarray(o), encoding) && ref) reply(ws, joinRef, ref, topic);
          return;
        }
        const [joinRef, ref, topic, event, payload] = JSON.parse(String(data));
        log(event, topic);
        if (topic === 'phoenix' && event === 'heartbeat') return reply(ws, null, ref, topic);
        if (event === 'phx_join') {
          if (!topics.has(topic)) topics.set(topic, new Map());
          const broadcast = payload?.config?.broadcast ?? {};
          topics.get(topic).set(ws, { joinRef, self: broadcast.self === true, ack: broadcast.ack === true });
          joined.add(topic);
          return reply(ws, joinRef, ref, topic, { postgres_changes: [] });
        }
        if (event === 'phx_leave') {
          topics.get(topic)?.delete(ws);
          joined.delete(topic);
          reply(ws, joinRef, ref, topic);
          return send(ws, JSON.stringify([joinRef, joinRef, topic, 'phx_close', {}]));
        }
        if (event === 'broadcast') {
          if (relay(ws, topic, payload?.event, payload?.payload) && ref) reply(ws, joinRef, ref, topic);
          return;
        }
        // access_token and anything else: accepted without a reply.
      } catch (error) {
        log('bad frame', error.message);
      }
    });
    ws.on('close', () => {
      for (const topic of joined) {
        topics.get(topic)?.delete(ws);
        if (topics.get(topic)?.size === 0) topics.delete(topic);
      }
    });
  });

  await new Promise((resolve, reject) => http.once('error', reject).listen(port, host, resolve));
  const actual = http.address().port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    close: () => new Promise((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      http.close(() => resolve());
    }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
  const { url } = await startSupabaseStandIn({ port: Number(arg('port') ?? 54321), host: arg('host') ?? '127.0.0.1' });
  console.log(`Supabase Realtime stand-in on ${url}`);
}
