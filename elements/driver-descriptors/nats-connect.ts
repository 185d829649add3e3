import type { CreatedDriver, DriverConfig } from '../driver-descriptor.js';
import { created, websocketUrl } from '../driver-descriptor.js';
import { NatsDriver } from '../../src/drivers/nats.js';

/** Builds `driver="nats"` (see ./nats.ts); loaded when a room first uses that driver. */
export async function create({ url, prefix, token }: DriverConfig, loadClient: () => Promise<unknown>): Promise<CreatedDriver> {
  const lib = (await loadClient()) as typeof import('@nats-io/nats-core');
  const nc = await lib.wsconnect({ servers: websocketUrl(url, '/nats'), ...(token ? { token } : {}) });
  return created(new NatsDriver({ nc: nc as never, prefix }), () => void nc.close().catch(() => {}));
}
