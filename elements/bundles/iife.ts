/**
 * dist/peerix-elements.iife.js (a plain `<script>`, global `peerixElements`):
 * every element and the engine with mqtt inlined. The other network drivers need
 * the ES module build; asking for one here fails when it is used, not on load.
 */
import { provideDriverClient, type DriverClientPackage } from '../driver-factory.js';
import '../drivers/mqtt.js';

const esmOnly: DriverClientPackage[] = ['@nats-io/nats-core', 'socket.io-client', '@supabase/supabase-js', 'centrifuge'];
for (const name of esmOnly) {
  provideDriverClient(name, () => Promise.reject(new Error(`${name} is not part of peerix-elements.iife.js: load the ES module build (peerix-elements.js) to use this driver`)));
}

export * from '../index.js';
