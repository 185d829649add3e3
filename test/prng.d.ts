/** mulberry32: numbers in [0, 1), the same sequence for the same seed (test/prng.js). */
export function prng(seed: number): () => number;
