/**
 * `import 'peerix/elements/drivers/nats'`: lets `<peerix-room driver="nats">` load
 * `@nats-io/nats-core` (install it yourself; a bundler splits it into a chunk loaded on first use).
 */
import { provideDriverClient } from '../driver-factory.js';

provideDriverClient('@nats-io/nats-core', () => import('@nats-io/nats-core'));
