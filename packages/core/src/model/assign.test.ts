import { expect } from 'chai';
import { InvalidOptionsError } from '../errors.js';
import { clusterProfiles } from '../pipeline/cluster-profiles.js';
import { METHODS } from '../pipeline/limits.js';
import type { ProfileSet } from '../profiles/types.js';
import { adjustedRandIndex } from '../quality/adjusted-rand-index.js';
import { generateSynthetic } from '../synthetic.js';
import { shuffledProfiles } from '../testing.js';
import { assign } from './assign.js';
import type { ClusteringModel } from './model.js';

/** A ProfileSet of a synthetic population (rows normalised to percentages). */
function profileSet(ids: readonly string[], raw: Float64Array): ProfileSet {
  const n = ids.length;
  const energies = new Float64Array(n * 4);
  for (let r = 0; r < n; r++) {
    const sum = raw[r * 4]! + raw[r * 4 + 1]! + raw[r * 4 + 2]! + raw[r * 4 + 3]!;
    for (let c = 0; c < 4; c++) energies[r * 4 + c] = (raw[r * 4 + c]! / sum) * 100;
  }
  return { ids: [...ids], energies, lines: new Int32Array(n), lineUnit: 'line', metadata: {}, skipped: [] };
}

/** Rows `from..to` of a set. */
function slice(set: ProfileSet, from: number, to: number): ProfileSet {
  return {
    ...set,
    ids: set.ids.slice(from, to),
    energies: set.energies.slice(from * 4, to * 4),
    lines: set.lines.slice(from, to),
  };
}

const population = generateSynthetic('overlapping', 400, 5);
const all = profileSet(population.ids, population.energies);
const RUN = { seed: 5, stabilityRuns: 0, clusters: 4 } as const;

describe('assign', () => {
  for (const method of METHODS) {
    describe(`method ${method}`, () => {
      const result = clusterProfiles(all, { method, ...RUN });
      // The model goes through JSON as it does when read from a result file.
      const model = JSON.parse(JSON.stringify(result.model)) as ClusteringModel;

      it('gives back exactly the labels of the clustering it was fitted on, in any row order', () => {
        expect(model).to.include({ version: 1, method, k: 4, seed: 5 });
        expect(assign(model, all).map((p) => p.cluster)).to.deep.equal(result.assignments.map((a) => a.cluster));
        const { set } = shuffledProfiles(all, 3);
        const expected = new Map(result.assignments.map((a) => [a.employee_id, a.cluster]));
        for (const p of assign(model, set)) expect(p.cluster).to.equal(expected.get(p.employee_id));
      });

      it('places held-out people as a clustering of everyone would (ARI ≥ 0.9)', () => {
        const fitted = clusterProfiles(slice(all, 0, 300), { method, ...RUN });
        const heldOut = assign(fitted.model, slice(all, 300, 400)).map((p) => p.cluster);
        const full = result.assignments.slice(300).map((a) => a.cluster);
        expect(adjustedRandIndex(full, heldOut)).to.be.at.least(0.9);
      });

      it('reports the distance to the centroid and the margin to the next one', () => {
        for (const p of assign(model, all)) {
          expect(p.distance).to.be.at.least(0);
          expect(p.margin).to.be.at.least(0);
          expect(p.borderline).to.equal(p.margin < 0.1 * (p.distance + p.margin));
        }
      });
    });
  }

  it('refuses a model of another version or with mismatched parts', () => {
    const { model } = clusterProfiles(all, { method: 'kmeans', ...RUN });
    expect(() => assign({ ...model, version: 2 } as unknown as ClusteringModel, all)).to.throw(InvalidOptionsError, /model.version/);
    expect(() => assign({ ...model, cluster_of: [0] }, all)).to.throw(InvalidOptionsError, /cluster_of/);
    expect(() => assign({ ...model, centroids: [[1, 2]] }, all)).to.throw(InvalidOptionsError, /centroids/);
  });
});
