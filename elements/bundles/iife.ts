/**
 * dist/peerix-elements.iife.js (a plain `<script>`, global `peerixElements`):
 * every element and the engine with mqtt inlined. The other network drivers need
 * the ES module build; asking for one here fails when it is used, not on load.
 */
import { provideDriverClient } from '../driver-factory.js';
import { DRIVERS } from '../driver-descriptors/index.js';
import '../drivers/mqtt.js';

for (const { client } of DRIVERS) {
  if (!client || client.package === 'mqtt') continue;
  const name = client.package;
  provideDriverClient(name, () => Promise.reject(new Error(`${name} is not part of peerix-elements.iife.js: load the ES module build (peerix-elements.js) to use this driver`)));
}

export * from '../index.js';
