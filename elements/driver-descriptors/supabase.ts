import { defineDriver, lazyCreate } from '../driver-descriptor.js';

/** `driver="supabase"`: Supabase Realtime (`url`: the project URL, `key`: its anon key; both required). */
export const supabase = defineDriver({
  name: 'supabase',
  client: { package: '@supabase/supabase-js', entry: 'createClient' },
  // How it connects loads when a room first uses it (./supabase-connect.ts: a chunk of its own).
  create: lazyCreate(() => import('./supabase-connect.js')),
});
