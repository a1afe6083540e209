/**
 * mulberry32: a tiny, fast 32-bit PRNG, seeded, identical on every platform. Everything that must come
 * out the same from a clean clone uses it: generated training data, training itself, tiny test models,
 * fuzzing and grammar sampling. Numbers in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
