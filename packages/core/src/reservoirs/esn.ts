import { randomStream } from '../random/seeded.js';
import { fastTanh } from './fast-tanh.js';
import { drivingSignal, rowRange, BATCH_ROWS, type FeatureInput, type InputScaling } from './input.js';
import { orthogonalColumns, randomSparseDense, scaleToSpectralRadius, toSparse, type SparseMatrix } from './sparse.js';

/** Parameters of the echo state network. */
export interface EsnParams {
  /** Reservoir units (default 24). */
  units: number;
  /** Share of recurrent connections present (default 0.1). */
  density: number;
  /** Spectral radius the recurrent weights are scaled to; below 1 keeps the echo state property, and lower keeps it closer to distance-preserving (default 0.5). */
  spectralRadius: number;
  /** Leak rate: how much of the new activation replaces the old state each step (default 0.6). */
  leakRate: number;
  /** Norm of each input weight column; the columns are orthogonal, so distances between inputs survive (default 0.4). */
  inputScaling: number;
  /** Scale of the per-unit bias, drawn uniformly from ±biasScaling (default 0.2). */
  biasScaling: number;
  /** Steps the profile is presented for; the state after the last step is the feature vector (default 6). */
  sequenceLength: number;
}

/** Defaults of {@link EsnParams}. */
export const ESN_DEFAULTS: Readonly<EsnParams> = Object.freeze({
  units: 24,
  density: 0.1,
  spectralRadius: 0.5,
  leakRate: 0.6,
  inputScaling: 0.4,
  biasScaling: 0.2,
  sequenceLength: 6,
});

/** The fixed random weights of one echo state network. */
interface EsnWeights {
  recurrent: SparseMatrix;
  /** units × 4 input weights. */
  input: Float64Array;
  bias: Float64Array;
}

/** Draws the reservoir from the seed alone, so every thread and worker builds the same one. */
function esnWeights(params: EsnParams, seed: number): EsnWeights {
  const stream = randomStream(seed, 'esn-weights');
  const { units } = params;
  const dense = randomSparseDense(units, params.density, stream);
  scaleToSpectralRadius(dense, units, params.spectralRadius);
  const input = orthogonalColumns(units, 4, stream, params.inputScaling);
  const bias = new Float64Array(units);
  for (let i = 0; i < units; i++) bias[i] = (2 * stream.next() - 1) * params.biasScaling;
  return { recurrent: toSparse(dense, units), input, bias };
}

/**
 * Echo state network features: a leaky tanh reservoir driven by the person's scaled energies (see InputScaling)
 * for `sequenceLength` steps, x ← (1−a)x + a·tanh(W x + W_in u + b). Writes `units` features per
 * row into `out` (row-major, all rows of the set) for rows `from..to`. No per-person randomness.
 */
export function esnFeatures(input: FeatureInput, params: EsnParams, seed: number, out: Float64Array): void {
  const { from, to } = rowRange(input);
  const { units, leakRate, sequenceLength } = params;
  const { recurrent, input: inputWeights, bias } = esnWeights(params, seed);
  const { start, columns, values } = recurrent;
  // Unit-major within a batch (state[i * BATCH_ROWS + p]): the innermost loops run over people,
  // contiguous in memory, which is what makes this a batched matrix product rather than a
  // per-person loop.
  const drive = new Float64Array(units * BATCH_ROWS);
  const state = new Float64Array(units * BATCH_ROWS);
  const next = new Float64Array(units * BATCH_ROWS);
  for (let batchStart = from; batchStart < to; batchStart += BATCH_ROWS) {
    const batch = Math.min(BATCH_ROWS, to - batchStart);
    loadDrive(input.energies, input.scaling, batchStart, batch, inputWeights, bias, units, drive);
    state.fill(0);
    for (let step = 0; step < sequenceLength; step++) {
      next.set(drive);
      for (let i = 0; i < units; i++) {
        const target = i * BATCH_ROWS;
        for (let s = start[i]!; s < start[i + 1]!; s++) {
          const w = values[s]!;
          const source = columns[s]! * BATCH_ROWS;
          for (let p = 0; p < batch; p++) next[target + p]! += w * state[source + p]!;
        }
      }
      for (let i = 0; i < units * BATCH_ROWS; i++) {
        state[i] = (1 - leakRate) * state[i]! + leakRate * fastTanh(next[i]!);
      }
    }
    for (let p = 0; p < batch; p++) {
      const row = (batchStart + p) * units;
      for (let i = 0; i < units; i++) out[row + i] = state[i * BATCH_ROWS + p]!;
    }
  }
}

/** drive[i * BATCH_ROWS + p] = b_i + W_in u_p for the people of one batch. */
function loadDrive(
  energies: Float64Array,
  scaling: InputScaling,
  batchStart: number,
  batch: number,
  inputWeights: Float64Array,
  bias: Float64Array,
  units: number,
  drive: Float64Array,
): void {
  drive.fill(0);
  const u = new Float64Array(4);
  for (let p = 0; p < batch; p++) {
    drivingSignal(energies, batchStart + p, scaling, u);
    for (let i = 0; i < units; i++) {
      const w = i * 4;
      drive[i * BATCH_ROWS + p] =
        bias[i]! + inputWeights[w]! * u[0]! + inputWeights[w + 1]! * u[1]! + inputWeights[w + 2]! * u[2]! + inputWeights[w + 3]! * u[3]!;
    }
  }
}
