import type { CreatedDriver, DriverConfig } from '../driver-descriptor.js';
import { created, httpUrl } from '../driver-descriptor.js';
import { SseDriver } from '../../src/drivers/sse.js';

/** Builds `driver="sse"` (see ./sse.ts); loaded when a room first uses that driver. */
export async function create({ url, prefix, token, withCredentials }: DriverConfig): Promise<CreatedDriver> {
  return created(new SseDriver({
    url: httpUrl(url, '/.well-known/mercure'),
    publisher: token ? { headers: { Authorization: `Bearer ${token}` } } : {},
    withCredentials,
    prefix,
  }));
}
