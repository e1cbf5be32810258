import { extractFeatures, type Reservoir, type ReservoirParams } from '@insights/core';

/** One task of the feature pool: rows `from..to` of one reservoir, written into shared memory. */
export interface FeatureTask {
  reservoir: Reservoir;
  energies: SharedArrayBuffer;
  ids: readonly string[];
  centre: Float64Array;
  inverseSpread: number;
  params: ReservoirParams;
  seed: number;
  from: number;
  to: number;
  out: SharedArrayBuffer;
}

/** Runs in a worker thread: computes its rows straight into the caller's buffer. */
export default function computeRows(task: FeatureTask): number {
  extractFeatures(
    task.reservoir,
    {
      energies: new Float64Array(task.energies),
      ids: task.ids,
      scaling: { centre: task.centre, inverseSpread: task.inverseSpread },
      from: task.from,
      to: task.to,
    },
    task.params,
    task.seed,
    new Float64Array(task.out),
  );
  return task.to - task.from;
}
