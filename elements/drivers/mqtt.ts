/**
 * `import 'peerix/elements/drivers/mqtt'`: lets `<peerix-room driver="mqtt">` load
 * `mqtt` (install it yourself; a bundler splits it into a chunk loaded on first use).
 */
import { provideDriverClient } from '../driver-factory.js';

provideDriverClient('mqtt', () => import('mqtt'));
