import type { CreatedDriver, DriverConfig } from '../driver-descriptor.js';
import { created, websocketUrl } from '../driver-descriptor.js';
import { CentrifugeDriver } from '../../src/drivers/centrifuge.js';

/** Builds `driver="centrifuge"` (see ./centrifuge.ts); loaded when a room first uses that driver. */
export async function create({ url, prefix, token }: DriverConfig, loadClient: () => Promise<unknown>): Promise<CreatedDriver> {
  const lib = (await loadClient()) as typeof import('centrifuge');
  const client = new lib.Centrifuge(websocketUrl(url, '/connection/websocket'), token ? { token } : {});
  const driver = new CentrifugeDriver({ centrifuge: client as never, prefix });
  client.connect();
  return created(driver, () => client.disconnect());
}
