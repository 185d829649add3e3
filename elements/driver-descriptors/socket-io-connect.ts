import type { CreatedDriver, DriverConfig } from '../driver-descriptor.js';
import { created, httpUrl } from '../driver-descriptor.js';
import { SocketIoDriver } from '../../src/drivers/socket-io.js';

/** Builds `driver="socket-io"` (see ./socket-io.ts); loaded when a room first uses that driver. */
export async function create({ url, prefix, token }: DriverConfig, loadClient: () => Promise<unknown>): Promise<CreatedDriver> {
  const lib = (await loadClient()) as typeof import('socket.io-client');
  const options = token ? { auth: { token } } : {};
  const socket = url ? lib.io(httpUrl(url, '/'), options) : lib.io(options);
  return created(new SocketIoDriver({ socket: socket as never, prefix }), () => socket.disconnect());
}
