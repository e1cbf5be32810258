import { expect } from 'chai';
import type { ClusterSummary } from '../interpret/clusters.js';
import { randomStream } from '../random/seeded.js';
import { hungarian } from './hungarian.js';
import { matchClusters } from './identity.js';

type Run = { clusters: ClusterSummary[]; assignments: { employee_id: string; cluster: number }[]; identity?: { stable_ids: number[] } };

/** A cluster summary with the given centroid (only id, size and centroid matter to matching). */
function cluster(id: number, [red, blue, green, yellow]: number[], size = 1): ClusterSummary {
  return {
    id,
    size,
    centroid: { red: red!, blue: blue!, green: green!, yellow: yellow! },
    dominant: 'red',
    secondary: 'blue',
    wheel_type: 'Director',
    wheel_radius: 0,
  } as ClusterSummary;
}

const A = [70, 10, 10, 10];
const B = [10, 70, 10, 10];
const C = [10, 10, 70, 10];
const D = [10, 10, 10, 70];

function people(labels: number[]): Run['assignments'] {
  return labels.map((cluster, i) => ({ employee_id: `E${i}`, cluster }));
}

describe('hungarian', () => {
  it('finds the minimum-cost assignment (against every permutation, rectangular too)', () => {
    const stream = randomStream(1, 'hungarian-test');
    const permutations = (items: number[]): number[][] =>
      items.length === 0 ? [[]] : items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]));
    for (let trial = 0; trial < 60; trial++) {
      const rows = 1 + Math.floor(stream.next() * 5);
      const cols = 1 + Math.floor(stream.next() * 5);
      const cost = Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.round(stream.next() * 100)));
      const result = hungarian(cost, cols);
      const total = Array.from(result).reduce((sum, j, i) => sum + (j >= 0 ? cost[i]![j]! : 0), 0);
      expect(Array.from(result).filter((j) => j >= 0)).to.have.length(Math.min(rows, cols));
      expect(new Set(Array.from(result).filter((j) => j >= 0)).size).to.equal(Math.min(rows, cols));
      const n = Math.max(rows, cols);
      let best = Infinity;
      for (const p of permutations(Array.from({ length: n }, (_, i) => i))) {
        let sum = 0;
        for (let i = 0; i < rows; i++) if (p[i]! < cols) sum += cost[i]![p[i]!]!;
        best = Math.min(best, sum);
      }
      expect(total).to.equal(best);
    }
  });
});

describe('matchClusters', () => {
  it('recovers the ids of a run whose clusters came back in another order, with nobody moved', () => {
    const previous: Run = { clusters: [cluster(0, A), cluster(1, B), cluster(2, C)], assignments: people([0, 0, 1, 2, 2]) };
    // Same people, same groups; the new run numbered them C, A, B.
    const current: Run = { clusters: [cluster(0, [11, 10, 69, 10]), cluster(1, A), cluster(2, B)], assignments: people([1, 1, 2, 0, 0]) };
    const identity = matchClusters(previous, current);
    expect(identity.stable_ids).to.deep.equal([2, 0, 1]);
    expect(identity.new).to.deep.equal([]);
    expect(identity.vanished).to.deep.equal([]);
    expect(identity.people).to.deep.equal({ common: 5, moved: 0, joined: 0, left: 0 });
    expect(identity.matched.find((m) => m.cluster === 0)!.drift).to.be.closeTo(Math.SQRT2, 1e-12);
  });

  it('gives a split-off cluster a new id and reports who moved to it', () => {
    const previous: Run = { clusters: [cluster(0, A), cluster(1, B)], assignments: people([0, 0, 0, 1, 1]) };
    // Cluster A split: E2 now forms a cluster of its own around D-ish profiles.
    const current: Run = { clusters: [cluster(0, A), cluster(1, B), cluster(2, D)], assignments: people([0, 0, 2, 1, 1]) };
    const identity = matchClusters(previous, current);
    expect(identity.stable_ids).to.deep.equal([0, 1, 2]);
    expect(identity.new).to.deep.equal([{ cluster: 2, stable_id: 2 }]);
    expect(identity.flows).to.deep.equal([{ from: 0, to: 2, people: 1 }]);
    expect(identity.people.moved).to.equal(1);
  });

  it('reports a vanished cluster, keeps chained ids, and counts joiners and leavers', () => {
    const previous: Run = {
      clusters: [cluster(0, A), cluster(1, B), cluster(2, C)],
      assignments: people([0, 1, 2, 2]),
      identity: { stable_ids: [7, 3, 9] },
    };
    const current: Run = { clusters: [cluster(0, B), cluster(1, A)], assignments: [...people([1, 0, 0]), { employee_id: 'NEW', cluster: 0 }] };
    const identity = matchClusters(previous, current as Run);
    expect(identity.stable_ids).to.deep.equal([3, 7]);
    expect(identity.vanished).to.deep.equal([9]);
    // E2 (was 9) now in B (3); E3 left; NEW joined.
    expect(identity.people).to.deep.equal({ common: 3, moved: 1, joined: 1, left: 1 });
    expect(identity.flows).to.deep.equal([{ from: 9, to: 3, people: 1 }]);
  });
});
