import { expect } from 'chai';
import { kmeans } from '../kmeans/kmeans.js';
import { adjustedRandIndex } from '../quality/adjusted-rand-index.js';
import { normal, randomStream } from '../random/seeded.js';
import type { Reservoir } from '../reservoirs/registry.js';
import { generateSynthetic } from '../synthetic.js';
import { embedBlocks, type FeatureBlock } from './embedding.js';
import { consensusStrength, weighMembers } from './hybrid.js';

/** Features that carry the energies' structure: the energies and a nonlinear view of them. */
function informative(reservoir: Reservoir, energies: Float64Array, transform: (x: number) => number): FeatureBlock {
  const rows = energies.length / 4;
  const data = new Float64Array(rows * 8);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < 4; c++) {
      data[r * 8 + c] = energies[r * 4 + c]!;
      data[r * 8 + 4 + c] = transform(energies[r * 4 + c]!);
    }
  }
  return { reservoir, raw: { data, rows, cols: 8 }, groups: [4, 4], weight: 1 };
}

/**
 * Features that carry nothing about the people but have clusters of their own: each row drawn
 * around one of four random centres chosen at random, as a badly set reservoir might give (a
 * structure as strong as the real one, and unrelated to it).
 */
function noise(reservoir: Reservoir, rows: number, seed: number): FeatureBlock {
  const stream = randomStream(seed, 'noise-block');
  const centres = Array.from({ length: 4 * 8 }, () => 3 * normal(stream));
  const data = new Float64Array(rows * 8);
  for (let r = 0; r < rows; r++) {
    const centre = stream.int(4);
    for (let c = 0; c < 8; c++) data[r * 8 + c] = centres[centre * 8 + c]! + 0.5 * normal(stream);
  }
  return { reservoir, raw: { data, rows, cols: 8 }, groups: [8], weight: 1 };
}

function ariOfSpace(blocks: FeatureBlock[], truth: Int32Array): number {
  const embedding = embedBlocks(blocks, 5);
  if (!embedding.ok) throw new Error(embedding.reason);
  return adjustedRandIndex(truth, kmeans(embedding.space, { k: 4, seed: 5 }).labels);
}

const population = generateSynthetic('overlapping', 800, 3);
const esn = informative('esn', population.energies, Math.sqrt);
const snn = informative('snn', population.energies, (x) => Math.log1p(x));
const lsm = informative('lsm', population.energies, (x) => x * x);

describe('weighMembers', () => {
  it('gives members that see the same structure about equal weights, summing to 1', () => {
    const weighed = weighMembers([esn, snn, lsm], 4, 7)!;
    const weights = Object.values(weighed.weights);
    expect(weights.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-12);
    for (const w of weights) expect(w).to.be.within(0.3, 0.37);
    for (const a of Object.values(weighed.agreement)) expect(a).to.be.within(0, 1);
    expect(weighed.blocks.map((b) => b.weight)).to.deep.equal(weights);
    expect(weighed.votes.sample).to.equal(null);
    expect(weighed.votes.labels).to.have.length(3);
  });

  it("down-weights a member whose clusters are unrelated to the others', and the combined space recovers the truth for it", () => {
    const noisy = noise('lsm', population.ids.length, 1);
    const weighed = weighMembers([esn, snn, noisy], 4, 7)!;
    expect(weighed.agreement.lsm).to.be.below(0.05);
    // Half of a mean over two others, one of them the noise.
    expect(weighed.agreement.esn).to.be.above(0.4);
    expect(weighed.weights.lsm).to.be.below(0.02);
    expect(weighed.weights.esn! + weighed.weights.snn!).to.be.closeTo(1 - weighed.weights.lsm!, 1e-12);
    const equal = ariOfSpace([esn, snn, noisy], population.truth);
    const weighted = ariOfSpace(weighed.blocks, population.truth);
    expect(equal).to.be.below(0.6);
    expect(weighted).to.be.at.least(0.9);
  });

  it("keeps the caller's weights as a prior", () => {
    const weighed = weighMembers([esn, { ...snn, weight: 2 }, lsm], 4, 7)!;
    expect(weighed.weights.snn! / weighed.weights.esn!).to.be.closeTo(2, 0.2);
  });

  it('is deterministic for a seed', () => {
    const a = weighMembers([esn, snn, lsm], 4, 7)!;
    const b = weighMembers([esn, snn, lsm], 4, 7)!;
    expect(a.weights).to.deep.equal(b.weights);
    expect(a.agreement).to.deep.equal(b.agreement);
    expect(a.votes.labels).to.deep.equal(b.votes.labels);
  });

  it('clusters the members on a seeded sample of 5,000 rows above that', () => {
    const large = generateSynthetic('separated', 6000, 2);
    const blocks = [informative('esn', large.energies, Math.sqrt), informative('snn', large.energies, Math.log1p)];
    const weighed = weighMembers(blocks, 4, 7)!;
    expect(weighed.votes.sample).to.have.length(5000);
    expect(weighed.votes.labels[0]).to.have.length(5000);
    expect(weighed.votes.sample).to.deep.equal(weighMembers(blocks, 4, 7)!.votes.sample);
    expect(weighed.weights).to.deep.equal({ esn: 0.5, snn: 0.5 });
  });

  it('returns null when a member cannot be embedded', () => {
    const flat: FeatureBlock = { reservoir: 'lsm', raw: { data: new Float64Array(800 * 8), rows: 800, cols: 8 }, groups: [4, 4], weight: 1 };
    expect(weighMembers([esn, snn, flat], 4, 7)).to.equal(null);
  });
});

describe('consensusStrength', () => {
  const final = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1, 2, 2]);

  it('is 1 for every cluster when each member found the same clusters, under any names', () => {
    const renamed = final.map((l) => (l + 1) % 3);
    expect(consensusStrength(final, 3, { sample: null, labels: [final, renamed] })).to.deep.equal([1, 1, 1]);
  });

  it('counts, per cluster, the share of its people each member puts with its majority', () => {
    // The second member moves one person of cluster 0 into cluster 1.
    const moved = Int32Array.from([0, 0, 0, 1, 1, 1, 1, 1, 2, 2]);
    expect(consensusStrength(final, 3, { sample: null, labels: [final, moved] })).to.deep.equal([(4 + 3) / 8, 1, 1]);
  });

  it('stays within 0..1, and is null for a cluster the sample does not reach', () => {
    const stream = randomStream(1, 'votes');
    const random = Int32Array.from({ length: 6 }, () => stream.int(4));
    const strength = consensusStrength(final, 4, { sample: Int32Array.from([0, 1, 4, 5, 8, 9]), labels: [random, random.map((l) => 3 - l)] });
    expect(strength[3]).to.equal(null);
    for (const s of strength.slice(0, 3)) expect(s).to.be.within(0, 1);
  });
});
