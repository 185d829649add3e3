import { created, defineDriver, websocketUrl } from '../driver-descriptor.js';

/** `driver="nats"`: a NATS server's WebSocket port (`url`, default /nats; `token`). */
export const nats = defineDriver({
  name: 'nats',
  client: { package: '@nats-io/nats-core', entry: 'wsconnect' },
  async create({ url, prefix, token }, loadClient) {
    const lib = (await loadClient()) as typeof import('@nats-io/nats-core');
    const { NatsDriver } = await import('../../src/drivers/nats.js');
    const nc = await lib.wsconnect({ servers: websocketUrl(url, '/nats'), ...(token ? { token } : {}) });
    return created(new NatsDriver({ nc: nc as never, prefix }), () => void nc.close().catch(() => {}));
  },
});
