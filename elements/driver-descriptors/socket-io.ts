import { created, defineDriver, httpUrl } from '../driver-descriptor.js';

/** `driver="socket-io"`: a Socket.IO relay (`url`, default this origin; `token` as `auth.token`). */
export const socketIo = defineDriver({
  name: 'socket-io',
  client: { package: 'socket.io-client', entry: 'io' },
  async create({ url, prefix, token }, loadClient) {
    const lib = (await loadClient()) as typeof import('socket.io-client');
    const { SocketIoDriver } = await import('../../src/drivers/socket-io.js');
    const options = token ? { auth: { token } } : {};
    const socket = url ? lib.io(httpUrl(url, '/'), options) : lib.io(options);
    return created(new SocketIoDriver({ socket: socket as never, prefix }), () => socket.disconnect());
  },
});
