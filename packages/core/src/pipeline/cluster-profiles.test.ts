import { expect } from 'chai';
import { InvalidInputError, InvalidOptionsError } from '../errors.js';
import type { ProfileSet } from '../profiles/types.js';
import { adjustedRandIndex } from '../quality/adjusted-rand-index.js';
import { extractFeatures, featureWidth } from '../reservoirs/registry.js';
import { generateSynthetic } from '../synthetic.js';
import { clusterProfiles, clusterProfilesWith, reservoirsOf, type FeatureExecutor, type Stage } from './cluster-profiles.js';
import { METHODS, type Method } from './limits.js';
import type { ClusteringResult } from './result.js';
import { invalidInput, shuffledProfiles } from '../testing.js';

/** A ProfileSet from raw energies, each row normalised to percentages. */
function profileSet(ids: readonly string[], raw: Float64Array): ProfileSet {
  const n = ids.length;
  const energies = new Float64Array(n * 4);
  for (let r = 0; r < n; r++) {
    const sum = raw[r * 4]! + raw[r * 4 + 1]! + raw[r * 4 + 2]! + raw[r * 4 + 3]!;
    for (let c = 0; c < 4; c++) energies[r * 4 + c] = (raw[r * 4 + c]! / sum) * 100;
  }
  return { ids: [...ids], energies, lines: new Int32Array(n), lineUnit: 'line', metadata: {}, skipped: [] };
}

/** The same people in another order. */
function shuffled(set: ProfileSet, seed: number): ProfileSet {
  return shuffledProfiles(set, seed).set;
}

/** A result with assignments sorted by employee_id and timings left out, for comparing runs. */
function comparable(result: ClusteringResult): Omit<ClusteringResult, 'timings_ms'> & { timings_ms: null } {
  return { ...result, timings_ms: null, assignments: [...result.assignments].sort((a, b) => (a.employee_id < b.employee_id ? -1 : 1)) };
}

const population = generateSynthetic('separated', 400, 11);
const separated = profileSet(population.ids, population.energies);
/** Options of the runs compared with each other; fewer bootstrap runs than the default keep the file quick. */
const RUN = { seed: 11, stabilityRuns: 5 } as const;

describe('clusterProfiles', () => {
  const results = new Map<Method, ClusteringResult>();
  before(() => {
    for (const method of METHODS) results.set(method, clusterProfiles(separated, { method, ...RUN }));
  });

  for (const method of METHODS) {
    describe(`method ${method}`, () => {
      it('recovers the synthetic archetypes (ARI ≥ 0.95)', () => {
        const labels = results.get(method)!.assignments.map((a) => a.cluster);
        expect(adjustedRandIndex(population.truth, labels)).to.be.at.least(0.95);
      });

      it('describes the run and clusters on the features of its reservoirs', () => {
        const result = results.get(method)!;
        expect(result).to.include({ method, k: 4, seed: 11, n: 400 });
        expect(result.fallback).to.deep.equal({ used: false, reason: null });
        expect(Object.keys(result.feature_components).sort()).to.deep.equal(reservoirsOf(method).sort());
        for (const count of Object.values(result.feature_components)) expect(count).to.be.within(1, 8);
        expect(result.auto_k).to.equal(null);
        expect(result.skipped).to.deep.equal([]);
      });

      it('returns assignments in input order and clusters sorted by size', () => {
        const result = results.get(method)!;
        expect(result.assignments.map((a) => a.employee_id)).to.deep.equal(separated.ids);
        expect(result.clusters.map((c) => c.id)).to.deep.equal([0, 1, 2, 3]);
        const counts = [0, 1, 2, 3].map((id) => result.assignments.filter((a) => a.cluster === id).length);
        expect(result.clusters.map((c) => c.size)).to.deep.equal(counts);
        for (let i = 1; i < counts.length; i++) expect(counts[i]).to.be.at.most(counts[i - 1]!);
        expect(counts.reduce((a, b) => a + b, 0)).to.equal(400);
      });

      it('reports every quality score, in range', () => {
        const { quality } = results.get(method)!;
        expect(quality.silhouette).to.be.within(0.5, 1);
        expect(quality.silhouette_sample_size).to.equal(400);
        expect(quality.calinski_harabasz).to.be.greaterThan(100);
        expect(Number.isFinite(quality.calinski_harabasz)).to.equal(true);
        expect(quality.davies_bouldin).to.be.within(0, 1);
        expect(quality.stability).to.be.within(0.9, 1);
        // Inertia is measured on the normalised energies, from the assignments.
        const sums = new Float64Array(16);
        const sizes = new Float64Array(4);
        const { assignments } = results.get(method)!;
        assignments.forEach(({ cluster }, r) => {
          sizes[cluster]!++;
          for (let c = 0; c < 4; c++) sums[cluster * 4 + c]! += separated.energies[r * 4 + c]!;
        });
        let inertia = 0;
        assignments.forEach(({ cluster }, r) => {
          for (let c = 0; c < 4; c++) inertia += (separated.energies[r * 4 + c]! - sums[cluster * 4 + c]! / sizes[cluster]!) ** 2;
        });
        expect(quality.inertia).to.be.closeTo(inertia, 1e-9 * inertia);
      });
    });
  }

  it('names the dominant energies of the synthetic archetypes', () => {
    const dominant = results
      .get('hybrid')!
      .clusters.map((c) => c.dominant)
      .sort();
    expect(dominant).to.deep.equal(['blue', 'green', 'red', 'yellow']);
  });

  for (const method of ['kmeans', 'hybrid'] as const) {
    it(`gives the same result for shuffled rows (${method})`, () => {
      const again = clusterProfiles(shuffled(separated, 1), { method, ...RUN });
      expect(comparable(again)).to.deep.equal(comparable(results.get(method)!));
    });
  }

  it('gives an identical result for the same seed', () => {
    expect(comparable(clusterProfiles(separated, { method: 'hybrid', ...RUN }))).to.deep.equal(comparable(results.get('hybrid')!));
  });

  it('says what each reservoir contributed to hybrid, and only to hybrid', () => {
    const { hybrid, k } = results.get('hybrid')!;
    expect(Object.keys(hybrid!.weights).sort()).to.deep.equal(['esn', 'lsm', 'snn']);
    expect(Object.values(hybrid!.weights).reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-12);
    for (const a of Object.values(hybrid!.agreement)) expect(a).to.be.within(0.9, 1);
    expect(hybrid!.consensus).to.have.length(k);
    for (const strength of hybrid!.consensus) expect(strength).to.be.within(0.95, 1);
    expect(hybrid!.sample_size).to.equal(400);
    for (const method of METHODS.filter((m) => m !== 'hybrid')) expect(results.get(method)!).not.to.have.property('hybrid');
  });

  it('weighs the hybrid on a sample above 5,000 rows, whatever the row order', () => {
    const large = generateSynthetic('overlapping', 5200, 4);
    const set = profileSet(large.ids, large.energies);
    const options = { method: 'hybrid', seed: 3, nInit: 2, stabilityRuns: 0 } as const;
    const result = clusterProfiles(set, options);
    expect(result.hybrid!.sample_size).to.equal(5000);
    expect(comparable(clusterProfiles(shuffled(set, 2), options))).to.deep.equal(comparable(result));
  });

  it("weighs the hybrid's members for the chosen k with clusters: 'auto'", () => {
    const result = clusterProfiles(separated, { method: 'hybrid', clusters: 'auto', seed: 11, stabilityRuns: 0 });
    expect(result.k).to.equal(4);
    expect(result.hybrid!.consensus).to.have.length(4);
  });

  it('gives the same result through a feature executor', async () => {
    const executor: FeatureExecutor = async (reservoir, input, params, seed) => {
      const out = new Float64Array(input.ids.length * featureWidth(reservoir, params));
      extractFeatures(reservoir, input, params, seed, out);
      return out;
    };
    const viaExecutor = await clusterProfilesWith(executor, separated, { method: 'esn', ...RUN });
    expect(comparable(viaExecutor)).to.deep.equal(comparable(results.get('esn')!));
  });

  it('reports progress by stage and timings from the clock it is given', () => {
    const stages: Stage[] = [];
    let tick = 0;
    const result = clusterProfiles(separated, { method: 'kmeans', stabilityRuns: 0 }, { now: () => (tick += 10), onProgress: (stage) => stages.push(stage) });
    expect(stages).to.deep.equal(['features', 'clustering', 'scoring']);
    expect(result.timings_ms).to.deep.equal({ sort: 10, features: 10, clustering: 10, quality: 10, total: 40 });
    expect(result.quality.stability).to.equal(null);
  });

  it("chooses 4 clusters on separated data with clusters: 'auto', from a curve over k = 2..10", () => {
    const result = clusterProfiles(separated, { method: 'kmeans', clusters: 'auto', seed: 11 });
    expect(result.k).to.equal(4);
    expect(result.auto_k!.chosen).to.equal(4);
    expect(result.auto_k!.curve.map((p) => p.k)).to.deep.equal([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const point of result.auto_k!.curve) {
      expect(point.silhouette).to.be.within(-1, 1);
      expect(point.stability).to.be.within(0, 1);
    }
    expect(result.clusters).to.have.length(4);
    expect(
      adjustedRandIndex(
        population.truth,
        result.assignments.map((a) => a.cluster),
      ),
    ).to.be.at.least(0.95);
  });

  it('throws InvalidInputError when there are fewer rows than clusters', () => {
    const three = profileSet(['a', 'b', 'c'], Float64Array.from([10, 20, 30, 40, 40, 30, 20, 10, 25, 25, 25, 25]));
    const error = invalidInput(() => clusterProfiles(three, { method: 'kmeans', clusters: 4 }));
    expect(error.code).to.equal('INVALID_INPUT');
    expect(error.message).to.include('fewer rows than clusters');
    expect(error.message).to.include('3 valid rows');
    const two = profileSet(['a', 'b'], Float64Array.from([10, 20, 30, 40, 40, 30, 20, 10]));
    expect(invalidInput(() => clusterProfiles(two, { method: 'kmeans', clusters: 'auto' })).message).to.include('fewer rows than clusters');
    expect(clusterProfiles(three, { method: 'kmeans', clusters: 3, stabilityRuns: 0 }).clusters.map((c) => c.size)).to.deep.equal([1, 1, 1]);
  });

  it('throws InvalidOptionsError listing every problem', () => {
    try {
      clusterProfiles(separated, { method: 'foo', clusters: 1, unknown: true } as never);
      expect.fail('expected an InvalidOptionsError');
    } catch (error) {
      expect(error).to.be.instanceOf(InvalidOptionsError);
      const { problems } = error as InvalidOptionsError;
      expect(problems).to.have.length(3);
      expect(problems.join('\n'))
        .to.match(/method/)
        .and.match(/clusters/)
        .and.match(/unknown/);
    }
  });

  describe('when every person has the same energies', () => {
    const identical = profileSet(
      Array.from({ length: 40 }, (_, i) => `P${i}`),
      new Float64Array(160).fill(25),
    );
    it('refuses fewer distinct profiles than clusters', () => {
      expect(() => clusterProfiles(identical, { method: 'snn' }))
        .to.throw(InvalidInputError)
        .with.property('message')
        .that.includes('fewer distinct profiles than clusters: 1 distinct energy profile, but 4 clusters');
    });

    it("says that choosing k needs 3 distinct profiles, not that 3 clusters were requested, with clusters: 'auto'", () => {
      expect(invalidInput(() => clusterProfiles(identical, { method: 'kmeans', clusters: 'auto' })).message).to.include(
        'fewer distinct profiles than clusters: 1 distinct energy profile, but choosing k automatically needs at least 3',
      );
    });

    // An input scale so small that the states underflow to exactly zero: features that do not vary.
    const silent = { esn: { inputScaling: 1e-300, biasScaling: 0 } };
    it('falls back openly when the features do not vary', () => {
      const result = clusterProfiles(separated, { method: 'esn', stabilityRuns: 2, ...silent });
      expect(result.fallback).to.deep.equal({ used: true, reason: 'esn features do not vary across people' });
      expect(result.feature_components).to.deep.equal({});
      expect(result.assignments).to.have.length(400);
      for (const [name, value] of Object.entries(result.quality)) {
        expect(Number.isFinite(value), `${name} = ${value}`).to.equal(true);
      }
      expect(result.clusters.every((c) => c.size > 0)).to.equal(true);
    });

    it('reports no contribution when hybrid falls back', () => {
      const result = clusterProfiles(separated, { method: 'hybrid', stabilityRuns: 0, ...silent });
      expect(result.fallback).to.deep.equal({ used: true, reason: 'esn features do not vary across people' });
      expect(result).not.to.have.property('hybrid');
    });
  });
});
