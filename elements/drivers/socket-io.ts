/**
 * `import 'peerix/elements/drivers/socket-io'`: lets `<peerix-room driver="socket-io">` load
 * `socket.io-client` (install it yourself; a bundler splits it into a chunk loaded on first use).
 */
import { provideDriverClient } from '../driver-factory.js';

provideDriverClient('socket.io-client', () => import('socket.io-client'));
