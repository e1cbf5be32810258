import { randomStream } from '../random/seeded.js';
import { BATCH_ROWS, drivingSignal, rowRange, type FeatureInput, type InputScaling } from './input.js';
import { orthogonalColumns } from './sparse.js';

/** Parameters of the liquid state machine. */
export interface LsmParams {
  /** Side lengths of the 3-D grid of neurons (default [3, 3, 3], 27 neurons). */
  grid: [number, number, number];
  /** Share of excitatory neurons; the rest inhibit (default 0.8). */
  excitatoryShare: number;
  /** Length scale λ of the connection probability C·exp(−(D/λ)²) (default 2). */
  lambda: number;
  /** Scale of all recurrent synaptic weights (default 0.15). */
  synapticScale: number;
  /** Norm of each (orthogonal) input weight column (default 1). */
  inputScaling: number;
  /** Simulation steps (default 15). */
  steps: number;
  /** Membrane time constant in steps (default 6). */
  tau: number;
  /** Firing threshold; the potential resets to 0 after a spike (default 1). */
  threshold: number;
}

/** Defaults of {@link LsmParams}. */
export const LSM_DEFAULTS: Readonly<LsmParams> = Object.freeze({
  grid: [3, 3, 3] as [number, number, number],
  excitatoryShare: 0.8,
  lambda: 2,
  synapticScale: 0.15,
  inputScaling: 1,
  steps: 15,
  tau: 6,
  threshold: 1,
});

/** Connection probability scale C and weight sign/size by (pre, post) type, after Maass et al. (2002). */
const CONNECTION = {
  ee: { c: 0.3, w: 1 },
  ei: { c: 0.2, w: 2 },
  ie: { c: 0.4, w: -2 },
  ii: { c: 0.1, w: -1 },
} as const;

/** The fixed liquid: synapses listed by presynaptic neuron, input weights, biases. */
interface Liquid {
  neurons: number;
  /** Synapses of presynaptic neuron j are `targets/weights[start[j] .. start[j+1])`. */
  start: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
  /** neurons × 4 input current weights. */
  input: Float64Array;
  bias: Float64Array;
}

/** Builds the liquid from the seed alone: positions on the grid, types, distance-dependent synapses. */
function buildLiquid(params: LsmParams, seed: number): Liquid {
  const stream = randomStream(seed, 'lsm-liquid');
  const [gx, gy, gz] = params.grid;
  const neurons = gx * gy * gz;
  const position = (i: number) => [i % gx, Math.floor(i / gx) % gy, Math.floor(i / (gx * gy))] as const;
  const excitatory = Array.from({ length: neurons }, () => stream.next() < params.excitatoryShare);
  const start = new Int32Array(neurons + 1);
  const targets: number[] = [];
  const weights: number[] = [];
  for (let pre = 0; pre < neurons; pre++) {
    const [ax, ay, az] = position(pre);
    for (let post = 0; post < neurons; post++) {
      if (post === pre) continue;
      const [bx, by, bz] = position(post);
      const distance = Math.hypot(ax - bx, ay - by, az - bz);
      const kind = CONNECTION[`${excitatory[pre] ? 'e' : 'i'}${excitatory[post] ? 'e' : 'i'}` as keyof typeof CONNECTION];
      if (stream.next() < kind.c * Math.exp(-((distance / params.lambda) ** 2))) {
        targets.push(post);
        weights.push(kind.w * params.synapticScale * (0.5 + stream.next()));
      }
    }
    start[pre + 1] = targets.length;
  }
  const input = orthogonalColumns(neurons, 4, stream, params.inputScaling);
  const bias = new Float64Array(neurons);
  for (let i = 0; i < neurons; i++) bias[i] = 0.1 + 0.2 * stream.next();
  return { neurons, start, targets: Int32Array.from(targets), weights: Float64Array.from(weights), input, bias };
}

/**
 * Liquid state machine features: the scaled energies (see InputScaling) drive a recurrent circuit of leaky
 * integrate-and-fire neurons on a 3-D grid, excitatory and inhibitory, wired with a probability
 * that falls with distance. Spikes reach their targets one step later. Features are each
 * neuron's firing rate and mean membrane potential (the liquid state), `2 × neurons` per row.
 */
export function lsmFeatures(input: FeatureInput, params: LsmParams, seed: number, out: Float64Array): void {
  const { from, to } = rowRange(input);
  const liquid = buildLiquid(params, seed);
  const { neurons, start, targets, weights, bias } = liquid;
  const decay = 1 - 1 / params.tau;
  const { steps, threshold } = params;
  const width = 2 * neurons;
  const current = new Float64Array(neurons * BATCH_ROWS);
  const potential = new Float64Array(neurons * BATCH_ROWS);
  const synaptic = new Float64Array(neurons * BATCH_ROWS);
  const counts = new Float64Array(neurons * BATCH_ROWS);
  const potentialSum = new Float64Array(neurons * BATCH_ROWS);
  // Who spiked last step, as a list of people per neuron: spikes are sparse, so delivering them
  // from lists costs a fraction of testing every synapse for every person.
  const spiked = new Int32Array(neurons * BATCH_ROWS);
  const spikedCount = new Int32Array(neurons);
  for (let batchStart = from; batchStart < to; batchStart += BATCH_ROWS) {
    const batch = Math.min(BATCH_ROWS, to - batchStart);
    loadCurrents(input.energies, input.scaling, batchStart, batch, liquid, current);
    potential.fill(0);
    counts.fill(0);
    potentialSum.fill(0);
    spikedCount.fill(0);
    for (let step = 0; step < steps; step++) {
      synaptic.fill(0);
      for (let pre = 0; pre < neurons; pre++) {
        const list = pre * BATCH_ROWS;
        const fired = spikedCount[pre]!;
        for (let s = start[pre]!; s < start[pre + 1]!; s++) {
          const w = weights[s]!;
          const target = targets[s]! * BATCH_ROWS;
          for (let i = 0; i < fired; i++) synaptic[target + spiked[list + i]!]! += w;
        }
      }
      for (let n = 0; n < neurons; n++) {
        const base = n * BATCH_ROWS;
        const b = bias[n]!;
        let fired = 0;
        for (let p = 0; p < batch; p++) {
          let v = decay * potential[base + p]! + b + current[base + p]! + synaptic[base + p]!;
          potentialSum[base + p]! += v;
          if (v >= threshold) {
            counts[base + p]!++;
            spiked[base + fired++] = p;
            v = 0;
          }
          potential[base + p] = v;
        }
        spikedCount[n] = fired;
      }
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

/** current[n * BATCH_ROWS + p] = W_in u_p for the people of one batch. */
function loadCurrents(energies: Float64Array, scaling: InputScaling, batchStart: number, batch: number, liquid: Liquid, current: Float64Array): void {
  const { neurons, input } = liquid;
  const u = new Float64Array(4);
  for (let p = 0; p < batch; p++) {
    drivingSignal(energies, batchStart + p, scaling, u);
    for (let n = 0; n < neurons; n++) {
      const w = n * 4;
      current[n * BATCH_ROWS + p] = input[w]! * u[0]! + input[w + 1]! * u[1]! + input[w + 2]! * u[2]! + input[w + 3]! * u[3]!;
    }
  }
}
