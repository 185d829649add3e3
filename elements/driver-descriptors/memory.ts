import { MemoryDriver } from '../../src/index.js';
import { defineDriver } from '../driver-descriptor.js';

/** Same-page peers with `driver="memory"` meet on one shared driver per prefix. */
const shared = new Map<string, MemoryDriver>();

/** `driver="memory"`: peers on the same page (tests, demos). */
export const memory = defineDriver({
  name: 'memory',
  create({ prefix }) {
    let driver = shared.get(prefix);
    if (!driver) shared.set(prefix, (driver = new MemoryDriver({ prefix })));
    return { driver, close: () => {} };
  },
});
