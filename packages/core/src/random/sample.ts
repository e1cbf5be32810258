import { randomStream } from './seeded.js';

/** `size` distinct row indices out of `rows`, ascending, chosen by a seeded partial Fisher–Yates shuffle. */
export function sampleIndices(rows: number, size: number, seed: number, key = 'row-sample'): Int32Array {
  const stream = randomStream(seed, key);
  const all = new Int32Array(rows);
  for (let i = 0; i < rows; i++) all[i] = i;
  for (let i = 0; i < size; i++) {
    const j = i + stream.int(rows - i);
    const t = all[i]!;
    all[i] = all[j]!;
    all[j] = t;
  }
  return all.slice(0, size).sort();
}
