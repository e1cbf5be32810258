import { esnFeatures, ESN_DEFAULTS, type EsnParams } from './esn.js';
import { lsmFeatures, LSM_DEFAULTS, type LsmParams } from './lsm.js';
import { snnFeatures, SNN_DEFAULTS, type SnnParams } from './snn.js';
import type { FeatureInput } from './input.js';

/** The reservoirs that turn a profile into a feature vector. */
export const RESERVOIRS = ['esn', 'snn', 'lsm'] as const;
export type Reservoir = (typeof RESERVOIRS)[number];

/** Parameters of every reservoir, each complete. */
export interface ReservoirParams {
  esn: EsnParams;
  snn: SnnParams;
  lsm: LsmParams;
}

/** Defaults of every reservoir. */
export const RESERVOIR_DEFAULTS: Readonly<ReservoirParams> = Object.freeze({
  esn: ESN_DEFAULTS,
  snn: SNN_DEFAULTS,
  lsm: LSM_DEFAULTS,
});

/** Number of features a reservoir writes per person. */
export function featureWidth(reservoir: Reservoir, params: ReservoirParams): number {
  switch (reservoir) {
    case 'esn':
      return params.esn.units;
    case 'snn':
      return 2 * params.snn.neurons;
    case 'lsm':
      return 2 * params.lsm.grid[0] * params.lsm.grid[1] * params.lsm.grid[2];
  }
}

/**
 * Widths of the groups of like features a reservoir writes, in order: the ESN's states form one
 * group; the spiking networks write firing rates, then mean membrane potentials.
 */
export function featureGroups(reservoir: Reservoir, params: ReservoirParams): number[] {
  const width = featureWidth(reservoir, params);
  return reservoir === 'esn' ? [width] : [width / 2, width / 2];
}

/**
 * Computes one reservoir's features for rows `input.from..input.to` into `out`, which holds
 * `featureWidth` numbers for every row of the set. Pure and per-person: any split of the rows
 * over threads gives the same numbers.
 */
export function extractFeatures(reservoir: Reservoir, input: FeatureInput, params: ReservoirParams, seed: number, out: Float64Array): void {
  switch (reservoir) {
    case 'esn':
      return esnFeatures(input, params.esn, seed, out);
    case 'snn':
      return snnFeatures(input, params.snn, seed, out);
    case 'lsm':
      return lsmFeatures(input, params.lsm, seed, out);
  }
}
