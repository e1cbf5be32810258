import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

/** A seeded stream of uniform numbers in [0, 1). */
export interface RandomStream {
  /** Next uniform number in [0, 1). */
  next(): number;
  /** Next integer in [0, n). */
  int(n: number): number;
  /** Next raw 32-bit unsigned integer, for hot loops that compare against a threshold. */
  uint32(): number;
}

/**
 * 32-bit FNV-1a hash of a seed's eight bytes followed by a key's UTF-16 code units, finished with
 * murmur3's mix so that close keys ("e1", "e2") give unrelated streams. Hashing the seed as data,
 * rather than mixing it into the start value, keeps (seed, key) pairs from colliding by design.
 */
export function hashSeed(seed: number, key: string): number {
  let h = 0x811c9dc5;
  const low = seed >>> 0;
  const high = Math.floor(seed / 0x100000000) >>> 0;
  for (const word of [low, high]) {
    for (let shift = 0; shift < 32; shift += 8) {
      h ^= (word >>> shift) & 0xff;
      h = Math.imul(h, 0x01000193);
    }
  }
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/**
 * The random stream for one purpose (`key`) under one `seed`. Every random choice in the core
 * draws from a stream named after what it is for ("kmeans-init", "esn-weights", a person's
 * employee_id…), so results do not depend on the order in which things are computed.
 */
export function randomStream(seed: number, key: string): RandomStream {
  const generator = xoroshiro128plus(hashSeed(seed, key));
  // The first outputs of xoroshiro seeded from a small state are correlated; skip a few.
  for (let i = 0; i < 8; i++) generator.next();
  return {
    next: () => uniformFloat64(generator),
    int: (n: number) => Math.floor(uniformFloat64(generator) * n),
    uint32: () => generator.next() >>> 0,
  };
}

/** A standard normal draw (Box–Muller) from a stream. */
export function normal(stream: RandomStream): number {
  let u = stream.next();
  while (u === 0) u = stream.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * stream.next());
}
