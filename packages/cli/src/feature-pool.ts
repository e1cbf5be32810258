import { Piscina } from 'piscina';
import { featureWidth, type FeatureExecutor } from '@insights/core';
import type { FeatureTask } from './feature-thread.js';

/** A pool of worker threads computing reservoir features, and the executor that uses it. */
export interface FeaturePool {
  execute: FeatureExecutor;
  close(): Promise<void>;
}

/**
 * Spreads feature extraction over `threads` worker threads. Rows are split into one contiguous
 * range per thread, each written straight into a shared buffer; every person's features depend
 * only on their own profile, the seed and the population's scaling, so the result is
 * bit-identical to a single thread.
 */
export function createFeaturePool(threads: number): FeaturePool {
  const pool = new Piscina({
    filename: new URL('./feature-thread.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
  });
  const execute: FeatureExecutor = async (reservoir, input, params, seed) => {
    const rows = input.ids.length;
    const width = featureWidth(reservoir, params);
    const energies = new SharedArrayBuffer(input.energies.byteLength);
    new Float64Array(energies).set(input.energies);
    const out = new SharedArrayBuffer(rows * width * Float64Array.BYTES_PER_ELEMENT);
    const chunk = Math.ceil(rows / threads);
    const tasks: Promise<number>[] = [];
    for (let from = 0; from < rows; from += chunk) {
      const task: FeatureTask = {
        reservoir,
        energies,
        ids: input.ids,
        centre: input.scaling.centre,
        inverseSpread: input.scaling.inverseSpread,
        params,
        seed,
        from,
        to: Math.min(rows, from + chunk),
        out,
      };
      tasks.push(pool.run(task));
    }
    await Promise.all(tasks);
    return new Float64Array(out);
  };
  return { execute, close: () => pool.destroy() };
}
