/**
 * Deterministic samples that follow a series' identity, not its place in a list: a series keeps
 * the same sampled rows (the pooled model's) and the same part in a sample (the store default
 * model's) when an article is listed, delisted or read in another order. Before, both sampled by
 * index, and listing one article in a chain's first store moved every later series' sample, and
 * with it forecasts of articles that had nothing to do with it.
 */

/** A series key ("12:3": article id, store id) as a 32-bit number (FNV-1a), for the samples. */
export function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A deterministic hash of (a, b, seed) in [0, 1): what a sample keeps. */
export function hashUnit(a: number, b: number, seed: number): number {
  let x =
    (Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 7, 0x85ebca6b) ^ Math.imul(seed, 0xc2b2ae35)) >>>
    0;
  x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0;
  x = Math.imul(x ^ (x >>> 12), 0x297a2d39) >>> 0;
  return ((x ^ (x >>> 15)) >>> 0) / 2 ** 32;
}
