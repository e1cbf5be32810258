import { randomStream } from '../random/seeded.js';
import { BATCH_ROWS, drivingSignal, rowRange, type FeatureInput } from './input.js';
import { orthogonalColumns } from './sparse.js';

/** Parameters of the spiking network. */
export interface SnnParams {
  /** Leaky integrate-and-fire neurons (default 24). */
  neurons: number;
  /** Simulation steps; firing rates are counted over them (default 40). */
  steps: number;
  /** Membrane time constant in steps: the potential decays by 1/tau each step (default 8). */
  tau: number;
  /** Firing threshold of the membrane potential; it resets to 0 after a spike (default 1). */
  threshold: number;
  /** Spike probability per step of an input channel at its highest rate; the scaled energy u gives maxInputRate / (1 + e^−u) (default 1). */
  maxInputRate: number;
  /** Norm of each (orthogonal) input synapse weight column (default 0.6 × √neurons / 4). */
  inputWeight: number;
  /** Lateral inhibition: potential removed from every neuron per spike of the layer in the previous step, divided by the layer size (default 0.5). */
  inhibition: number;
}

/** Defaults of {@link SnnParams}. */
export const SNN_DEFAULTS: Readonly<SnnParams> = Object.freeze({
  neurons: 24,
  steps: 40,
  tau: 8,
  threshold: 1,
  maxInputRate: 1,
  inputWeight: 0.6,
  inhibition: 0.5,
});

/** Fixed random weights of the spiking layer, drawn from the seed alone. */
function snnWeights(params: SnnParams, seed: number): { input: Float64Array; bias: Float64Array } {
  const stream = randomStream(seed, 'snn-weights');
  const input = orthogonalColumns(params.neurons, 4, stream, (params.inputWeight * Math.sqrt(params.neurons)) / 4);
  const bias = new Float64Array(params.neurons);
  for (let i = 0; i < params.neurons; i++) bias[i] = 0.05 + 0.1 * stream.next();
  return { input, bias };
}

/**
 * Spiking network features: each scaled energy becomes a rate-coded spike train (a regular train at a
 * rate rising smoothly with the energy, with a random phase from the person's own stream, so spike
 * counts carry the energy without Poisson noise), feeding a layer of leaky integrate-and-fire
 * neurons with lateral inhibition. Features are the neurons' firing rates, plus their mean
 * membrane potential, which keeps the sub-threshold information spike counts round away.
 * Writes `2 × neurons` features per row.
 */
export function snnFeatures(input: FeatureInput, params: SnnParams, seed: number, out: Float64Array): void {
  const { from, to } = rowRange(input);
  const { neurons, steps, threshold, maxInputRate } = params;
  const decay = 1 - 1 / params.tau;
  const lateral = params.inhibition / neurons;
  const drive = patternDrive(snnWeights(params, seed), neurons);
  const width = 2 * neurons;
  const rate = new Float64Array(4 * BATCH_ROWS);
  const phase = new Float64Array(4 * BATCH_ROWS);
  const pattern = new Int32Array(BATCH_ROWS);
  const inhibition = new Float64Array(BATCH_ROWS);
  const potential = new Float64Array(neurons * BATCH_ROWS);
  const counts = new Float64Array(neurons * BATCH_ROWS);
  const potentialSum = new Float64Array(neurons * BATCH_ROWS);
  const firedNext = new Float64Array(BATCH_ROWS);
  const u = new Float64Array(4);
  for (let batchStart = from; batchStart < to; batchStart += BATCH_ROWS) {
    const batch = Math.min(BATCH_ROWS, to - batchStart);
    for (let p = 0; p < batch; p++) {
      const row = batchStart + p;
      const stream = randomStream(seed, input.ids[row]!);
      drivingSignal(input.energies, row, input.scaling, u);
      for (let c = 0; c < 4; c++) {
        rate[c * BATCH_ROWS + p] = maxInputRate / (1 + Math.exp(-u[c]!));
        phase[c * BATCH_ROWS + p] = stream.next();
      }
    }
    potential.fill(0);
    counts.fill(0);
    potentialSum.fill(0);
    inhibition.fill(0);
    for (let step = 0; step < steps; step++) {
      // Which of the four input channels spike this step, as a 4-bit pattern per person.
      pattern.fill(0);
      for (let c = 0; c < 4; c++) {
        for (let p = 0; p < batch; p++) {
          const i = c * BATCH_ROWS + p;
          const level = phase[i]! + rate[i]!;
          if (level >= 1) {
            pattern[p]! |= 1 << c;
            phase[i] = level - 1;
          } else phase[i] = level;
        }
      }
      firedNext.fill(0);
      for (let n = 0; n < neurons; n++) {
        const base = n * BATCH_ROWS;
        const row = n * 16;
        for (let p = 0; p < batch; p++) {
          let v = decay * potential[base + p]! + drive[row + pattern[p]!]! - inhibition[p]!;
          potentialSum[base + p]! += v;
          if (v >= threshold) {
            counts[base + p]!++;
            firedNext[p]!++;
            v = 0;
          }
          potential[base + p] = v;
        }
      }
      for (let p = 0; p < batch; p++) inhibition[p] = lateral * firedNext[p]!;
    }
    for (let p = 0; p < batch; p++) {
      const row = (batchStart + p) * width;
      for (let n = 0; n < neurons; n++) {
        out[row + n] = counts[n * BATCH_ROWS + p]! / steps;
        out[row + neurons + n] = potentialSum[n * BATCH_ROWS + p]! / steps;
      }
    }
  }
}

/**
 * Input current of each neuron for each of the 16 patterns of spiking input channels, bias
 * included: one table lookup per neuron and step instead of four multiply-adds.
 */
function patternDrive(weights: { input: Float64Array; bias: Float64Array }, neurons: number): Float64Array {
  const table = new Float64Array(neurons * 16);
  for (let n = 0; n < neurons; n++) {
    for (let pattern = 0; pattern < 16; pattern++) {
      let current = weights.bias[n]!;
      for (let c = 0; c < 4; c++) if (pattern & (1 << c)) current += weights.input[n * 4 + c]!;
      table[n * 16 + pattern] = current;
    }
  }
  return table;
}
