// Bookkeeping for the driver tests: each named driver records what its
// handlers received, its `error` events and its `active` changes.
const T = {
  rec: {},
  /** Loads a bundle served by the harness (/__build/…). */
  load: (name) => import(`/__build/${name}`),
  /** Starts recording a driver under `name`. */
  track(name, driver, client) {
    const rec = { driver, client, got: [], errors: [], actives: [], handlers: {} };
    driver.on('error', ({ error }) => rec.errors.push({ code: error.code, message: error.message }));
    driver.on('active', ({ active }) => rec.actives.push(active));
    T.rec[name] = rec;
    return rec;
  },
  /** A handler that records `{ tag, bytes }`; the same tag gives the same function. */
  handler(name, tag) {
    const rec = T.rec[name];
    rec.handlers[tag] ??= (message) => rec.got.push({ tag, bytes: message, plain: Array.isArray(message) });
    return rec.handlers[tag];
  },
  got: (name, tag) => T.rec[name].got.filter((g) => tag === undefined || g.tag === tag).map((g) => g.bytes.join(',')),
};
window.T = T;
window.ready = true;
