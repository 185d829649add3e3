// SupabaseDriver with the real @supabase/supabase-js in the page, against the
// Supabase Realtime STAND-IN (test/servers/supabase-stand-in.mjs) started here.
// With PEERIX_SUPABASE_URL and PEERIX_SUPABASE_KEY set, the same tests run
// against that real project instead (the restart test is then skipped).
import { describe } from 'node:test';
import WebSocket from 'ws';
import { driverSuite } from './drivers-suite.mjs';
import { startSupabaseStandIn } from '../servers/node-servers.mjs';

const REAL_URL = process.env.PEERIX_SUPABASE_URL;
const KEY = process.env.PEERIX_SUPABASE_KEY ?? 'stand-in-anon-key';

/** A raw Phoenix client joins the channel and broadcasts payloads the driver never sends. */
async function garbage(server, topic) {
  const url = new URL('/realtime/v1/websocket', server.url.replace(/^http/, 'ws'));
  url.searchParams.set('apikey', KEY);
  url.searchParams.set('vsn', '1.0.0');
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  const replies = new Map();
  ws.on('message', (data) => {
    const [, ref, , event] = JSON.parse(String(data));
    if (event === 'phx_reply') replies.get(ref)?.();
  });
  let ref = 0;
  const push = (event, payload, joinRef = '1') => new Promise((resolve) => {
    const r = String(++ref);
    replies.set(r, resolve);
    ws.send(JSON.stringify([joinRef, r, `realtime:${topic}`, event, payload]));
  });
  await push('phx_join', { config: { broadcast: { self: false, ack: true }, presence: { enabled: false }, postgres_changes: [], private: false }, access_token: KEY });
  const bad = [{ m: '***' }, { m: 5 }, { x: 1 }, 'text', null, { m: 'A'.repeat(100 * 1024) }];
  for (const payload of bad) await push('broadcast', { type: 'broadcast', event: 'signal', payload });
  ws.close();
  return bad.length;
}

describe(`SupabaseDriver + ${REAL_URL ? REAL_URL : 'Supabase Realtime stand-in'}`, () => {
  driverSuite({
    name: 'supabase',
    start: REAL_URL ? async () => ({ url: REAL_URL, close: async () => {} }) : () => startSupabaseStandIn(),
    restart: !REAL_URL,
    bundle: 'drivers/supabase.js',
    client: `async (url, { slow }) => {
      const { createClient } = await T.load('supabase.js');
      return createClient(url, '${KEY}', {
        auth: { persistSession: false, autoRefreshToken: false },
        realtime: { reconnectAfterMs: () => (slow ? 2500 : 250), heartbeatIntervalMs: 5000, timeout: 3000 },
      });
    }`,
    driver: `(M, supabase, prefix) => new M.SupabaseDriver({ supabase, prefix })`,
    listeners: `(s) => 'channels:' + s.getChannels().length`,
    topic: (prefix, ns) => prefix + ns.join(':'),
    echo: false, // broadcast self: false
    garbage,
  });
});
