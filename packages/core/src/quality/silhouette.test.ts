import { expect } from 'chai';
import type { Matrix } from '../kmeans/matrix.js';
import { normal, randomStream } from '../random/seeded.js';
import { sampleIndices } from '../random/sample.js';
import { silhouette } from './silhouette.js';

function matrix(rows: readonly (readonly number[])[]): Matrix {
  return { data: Float64Array.from(rows.flat()), rows: rows.length, cols: rows[0]!.length };
}

/** Rousseeuw's definition, one row at a time; singleton clusters score 0, as in scikit-learn. */
function bruteForceSilhouette(rows: number[][], labels: readonly number[]): number {
  const distance = (p: number[], q: number[]) => Math.sqrt(p.reduce((s, v, c) => s + (v - q[c]!) ** 2, 0));
  const clusters = [...new Set(labels)];
  let total = 0;
  rows.forEach((row, i) => {
    const meanTo = (cluster: number) => {
      const others = rows.filter((_, j) => labels[j] === cluster && j !== i);
      return others.reduce((s, other) => s + distance(row, other), 0) / others.length;
    };
    if (labels.filter((l) => l === labels[i]).length === 1) return;
    const a = meanTo(labels[i]!);
    const b = Math.min(...clusters.filter((c) => c !== labels[i]).map(meanTo));
    total += (b - a) / Math.max(a, b);
  });
  return total / rows.length;
}

function randomData(n: number, cols: number, k: number, seed: number): { rows: number[][]; labels: number[] } {
  const stream = randomStream(seed, 'silhouette-test');
  const labels = Array.from({ length: n }, (_, i) => (i < k ? i : stream.int(k)));
  const rows = labels.map((l) => Array.from({ length: cols }, (_, c) => (c === 0 ? 3 * l : 0) + normal(stream)));
  return { rows, labels };
}

describe('silhouette', () => {
  it('matches a hand-computed example', () => {
    // 1-D points 0, 1 | 4, 5: the outer points score (4.5 − 1)/4.5 = 7/9, the inner ones
    // (3.5 − 1)/3.5 = 5/7, so the mean is (7/9 + 5/7)/2 = 47/63.
    const score = silhouette(matrix([[0], [1], [4], [5]]), Int32Array.from([0, 0, 1, 1]), 2, { seed: 1 });
    expect(score.value).to.be.closeTo(47 / 63, 1e-15);
    expect(score.sampleSize).to.equal(4);
  });

  it('scores rows of singleton clusters 0 but keeps them in the mean', () => {
    // 0 and 1 score 0.9 and 8/9; the singleton 10 scores 0: (0.9 + 8/9) / 3.
    const score = silhouette(matrix([[0], [1], [10]]), Int32Array.from([0, 0, 1]), 2, { seed: 1 });
    expect(score.value).to.be.closeTo((0.9 + 8 / 9) / 3, 1e-15);
  });

  it('is 0 when only one cluster is used', () => {
    expect(silhouette(matrix([[0], [1], [3]]), Int32Array.from([1, 1, 1]), 3, { seed: 1 }).value).to.equal(0);
  });

  it('matches a brute-force reference on random data', () => {
    for (const [n, cols, k, seed] of [
      [60, 2, 3, 1],
      [90, 4, 5, 2],
      [45, 3, 2, 3],
    ] as const) {
      const { rows, labels } = randomData(n, cols, k, seed);
      const score = silhouette(matrix(rows), Int32Array.from(labels), k, { seed });
      expect(score.value, `n ${n}, k ${k}`).to.be.closeTo(bruteForceSilhouette(rows, labels), 1e-12);
      expect(score.sampleSize).to.equal(n);
    }
  });

  it('above the exact limit, scores a seeded sample of that many rows and says so', () => {
    const { rows, labels } = randomData(400, 3, 4, 4);
    const points = matrix(rows);
    const labelArray = Int32Array.from(labels);
    const score = silhouette(points, labelArray, 4, { seed: 9, maxExactRows: 150 });
    expect(score.sampleSize).to.equal(150);
    const again = silhouette(points, labelArray, 4, { seed: 9, maxExactRows: 150 });
    expect(again).to.deep.equal(score);

    const sample = Array.from(sampleIndices(400, 150, 9, 'silhouette-sample'));
    expect(score.value).to.be.closeTo(
      bruteForceSilhouette(
        sample.map((i) => rows[i]!),
        sample.map((i) => labels[i]!),
      ),
      1e-12,
    );
    const other = silhouette(points, labelArray, 4, { seed: 10, maxExactRows: 150 });
    expect(other.value).to.not.equal(score.value);
    expect(other.value).to.be.closeTo(bruteForceSilhouette(rows, labels), 0.1);
  });

  it('computes exactly at the limit itself', () => {
    const { rows, labels } = randomData(150, 2, 3, 5);
    const score = silhouette(matrix(rows), Int32Array.from(labels), 3, { seed: 1, maxExactRows: 150 });
    expect(score.sampleSize).to.equal(150);
    expect(score.value).to.be.closeTo(bruteForceSilhouette(rows, labels), 1e-12);
  });
});

describe('sampleIndices', () => {
  it('draws distinct sorted indices in range, the same for the same seed', () => {
    const a = sampleIndices(1000, 300, 7);
    expect(a.length).to.equal(300);
    expect(new Set(a).size).to.equal(300);
    for (let i = 0; i < a.length; i++) {
      expect(a[i]).to.be.within(0, 999);
      if (i > 0) expect(a[i]).to.be.greaterThan(a[i - 1]!);
    }
    expect(Array.from(sampleIndices(1000, 300, 7))).to.deep.equal(Array.from(a));
    expect(Array.from(sampleIndices(1000, 300, 8))).to.not.deep.equal(Array.from(a));
  });
});
