import { created, defineDriver, httpUrl } from '../driver-descriptor.js';

/** `driver="supabase"`: Supabase Realtime (`url`: the project URL, `key`: its anon key; both required). */
export const supabase = defineDriver({
  name: 'supabase',
  client: { package: '@supabase/supabase-js', entry: 'createClient' },
  async create({ url, prefix, key }, loadClient) {
    if (!url || !key) throw new Error('peerix: driver="supabase" needs url (the project URL) and key (its anon key)');
    const lib = (await loadClient()) as typeof import('@supabase/supabase-js');
    const { SupabaseDriver } = await import('../../src/drivers/supabase.js');
    const client = lib.createClient(httpUrl(url, '/'), key);
    return created(new SupabaseDriver({ supabase: client as never, prefix }), () => void client.removeAllChannels().catch(() => {}));
  },
});
