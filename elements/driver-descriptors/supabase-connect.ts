import type { CreatedDriver, DriverConfig } from '../driver-descriptor.js';
import { created, httpUrl } from '../driver-descriptor.js';
import { SupabaseDriver } from '../../src/drivers/supabase.js';

/** Builds `driver="supabase"` (see ./supabase.ts); loaded when a room first uses that driver. */
export async function create({ url, prefix, key }: DriverConfig, loadClient: () => Promise<unknown>): Promise<CreatedDriver> {
  if (!url || !key) throw new Error('peerix: driver="supabase" needs url (the project URL) and key (its anon key)');
  const lib = (await loadClient()) as typeof import('@supabase/supabase-js');
  const client = lib.createClient(httpUrl(url, '/'), key);
  return created(new SupabaseDriver({ supabase: client as never, prefix }), () => void client.removeAllChannels().catch(() => {}));
}
