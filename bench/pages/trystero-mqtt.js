// Trystero's MQTT strategy for the bench. `trystero/mqtt` 0.25 throws "install
// @trystero-p2p/mqtt" and that package is not a devDependency here, so this
// file restates its published source (dmotz/trystero packages/mqtt/src/index.ts:
// createStrategy over one mqtt.js client per relay URL, MQTT 3.1.1 as upstream
// connects, announce = publish {peerId} on the room topic) against the
// installed @trystero-p2p/core 0.25.4. Relay URLs come from relayConfig.urls.
import mqtt from 'mqtt';
import { createRelayManager, createStrategy, getRelays, selfId, toJson } from '@trystero-p2p/core';

const relayManager = createRelayManager((client) => client.stream?.socket);
const msgHandlers = relayManager.scoped();
const subscriptionRefs = relayManager.scoped();

export const joinRoom = createStrategy({
  init: (config) =>
    getRelays(config, [], 4).map((url) => {
      const client = relayManager.register(url, () => mqtt.connect(url));
      const handlers = msgHandlers.forRelay(client);
      client.on('message', (topic, buffer) => handlers[topic]?.(topic, buffer.toString())).on('error', console.error);
      return new Promise((resolve) => (client.connected ? resolve(client) : client.on('connect', () => resolve(client))));
    }),
  subscribe: (client, rootTopic, selfTopic, onMessage) => {
    const handlers = msgHandlers.forRelay(client);
    const refs = subscriptionRefs.forRelay(client);
    const handler = (topic, data) => void onMessage(topic, data, (peerTopic, signal) => { client.publish(peerTopic, signal); });
    handlers[rootTopic] = handler;
    handlers[selfTopic] = handler;
    for (const topic of [rootTopic, selfTopic]) {
      refs[topic] = (refs[topic] ?? 0) + 1;
      if (refs[topic] === 1) client.subscribe(topic);
    }
    return () => {
      for (const topic of [rootTopic, selfTopic]) {
        refs[topic] = Math.max(0, (refs[topic] ?? 1) - 1);
        if (refs[topic] === 0) { client.unsubscribe(topic); delete refs[topic]; }
        if (handlers[topic] === handler) delete handlers[topic];
      }
    };
  },
  announce: (client, rootTopic) => {
    client.publish(rootTopic, toJson({ peerId: selfId }));
  },
});

export { selfId };
