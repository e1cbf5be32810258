/**
 * How energies become the signal that drives a reservoir: centred on the population's mean
 * profile and divided by its overall spread (one number for all four energies, so the geometry
 * between people is kept). Every reservoir then works in its sensitive range, whether the
 * population is spread over the whole wheel or, like Iris, packed into one corner of it.
 */
export interface InputScaling {
  /** Mean percentage of each energy over the population. */
  centre: Float64Array;
  /** 1 / root-mean-square deviation from the centre, per energy. */
  inverseSpread: number;
}

/** The scaling of a whole population (4 energies per row). */
export function inputScalingOf(energies: Float64Array): InputScaling {
  const rows = energies.length / 4;
  const centre = new Float64Array(4);
  for (let r = 0; r < rows; r++) for (let c = 0; c < 4; c++) centre[c]! += energies[r * 4 + c]! / rows;
  let sq = 0;
  for (let r = 0; r < rows; r++) for (let c = 0; c < 4; c++) sq += (energies[r * 4 + c]! - centre[c]!) ** 2;
  const spread = Math.sqrt(sq / (rows * 4));
  return { centre, inverseSpread: spread > 0 ? 1 / spread : 1 };
}

/** Writes the driving signal of row `row` into `u` (4 values). */
export function drivingSignal(energies: Float64Array, row: number, scaling: InputScaling, u: Float64Array): void {
  for (let c = 0; c < 4; c++) u[c] = (energies[row * 4 + c]! - scaling.centre[c]!) * scaling.inverseSpread;
}

/** The rows a feature extractor works on: `ids` and `energies` of the whole set, rows `from..to`. */
export interface FeatureInput {
  /** Normalised energies, 4 per person. */
  energies: Float64Array;
  /** employee_id of each person: seeds their own random stream. */
  ids: readonly string[];
  /** Scaling of the whole population, computed once before rows are split over threads. */
  scaling: InputScaling;
  /** First row to compute (default 0). */
  from?: number;
  /** One past the last row to compute (default all). */
  to?: number;
}

/** The rows `[from, to)` an extractor should compute. */
export function rowRange(input: FeatureInput): { from: number; to: number } {
  const rows = input.ids.length;
  const from = input.from ?? 0;
  const to = input.to ?? rows;
  if (from < 0 || to > rows || from > to) throw new RangeError(`row range ${from}..${to} outside 0..${rows}`);
  return { from, to };
}

/** People simulated together: their states stay in cache while the steps advance. */
export const BATCH_ROWS = 256;
