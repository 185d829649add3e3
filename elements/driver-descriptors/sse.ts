import { created, defineDriver, httpUrl } from '../driver-descriptor.js';

/** `driver="sse"`: a Mercure hub (`url`, default /.well-known/mercure; `token` as the publisher's bearer). */
export const sse = defineDriver({
  name: 'sse',
  async create({ url, prefix, token, withCredentials }) {
    const { SseDriver } = await import('../../src/drivers/sse.js');
    return created(new SseDriver({
      url: httpUrl(url, '/.well-known/mercure'),
      publisher: token ? { headers: { Authorization: `Bearer ${token}` } } : {},
      withCredentials,
      prefix,
    }));
  },
});
