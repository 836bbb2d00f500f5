export type Random = () => number;

/** mulberry32: tiny, fast and good enough for demo data; the same seed always gives the same stream. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Derives an independent stream seed, so each customer's story does not depend on the others'. */
export function deriveSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function chance(rng: Random, probability: number): boolean {
  return rng() < probability;
}

export function between(rng: Random, low: number, high: number): number {
  return low + rng() * (high - low);
}

export function intBetween(rng: Random, low: number, high: number): number {
  return low + Math.floor(rng() * (high - low + 1));
}

export function exponential(rng: Random, mean: number): number {
  return -mean * Math.log(1 - rng());
}

export type Weighted<T> = readonly (readonly [T, number])[];

export function weighted<T>(rng: Random, entries: Weighted<T>): T {
  let total = 0;
  for (const [, weight] of entries) total += weight;
  let r = rng() * total;
  for (const [item, weight] of entries) {
    r -= weight;
    if (r < 0) return item;
  }
  const last = entries[entries.length - 1];
  if (!last) throw new Error("weighted: no entries to choose from");
  return last[0];
}
