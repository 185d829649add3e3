/**
 * `import 'peerix/elements/drivers/supabase'`: lets `<peerix-room driver="supabase">` load
 * `@supabase/supabase-js` (install it yourself; a bundler splits it into a chunk loaded on first use).
 */
import { provideDriverClient } from '../driver-factory.js';

provideDriverClient('@supabase/supabase-js', () => import('@supabase/supabase-js'));
