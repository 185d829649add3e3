import { created, defineDriver, websocketUrl } from '../driver-descriptor.js';

/** `driver="centrifuge"`: a Centrifugo server (`url`, default /connection/websocket; `token` as its JWT). */
export const centrifuge = defineDriver({
  name: 'centrifuge',
  client: { package: 'centrifuge', entry: 'Centrifuge' },
  async create({ url, prefix, token }, loadClient) {
    const lib = (await loadClient()) as typeof import('centrifuge');
    const { CentrifugeDriver } = await import('../../src/drivers/centrifuge.js');
    const client = new lib.Centrifuge(websocketUrl(url, '/connection/websocket'), token ? { token } : {});
    const driver = new CentrifugeDriver({ centrifuge: client as never, prefix });
    client.connect();
    return created(driver, () => client.disconnect());
  },
});
