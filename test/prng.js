// The one seeded PRNG of the tests and benchmarks (mulberry32: small, fast,
// deterministic). Plain JavaScript so that browser pages of the e2e suites can
// import it as served (/test/prng.js) as well as the TypeScript suites.

/**
 * @param {number} seed
 * @returns {() => number} numbers in [0, 1), the same sequence for the same seed
 */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
