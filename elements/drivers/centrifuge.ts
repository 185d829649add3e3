/**
 * `import 'peerix/elements/drivers/centrifuge'`: lets `<peerix-room driver="centrifuge">` load
 * `centrifuge` (install it yourself; a bundler splits it into a chunk loaded on first use).
 */
import { provideDriverClient } from '../driver-factory.js';

provideDriverClient('centrifuge', () => import('centrifuge'));
