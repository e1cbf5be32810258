import { expect } from 'chai';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { normal, randomStream } from '../random/seeded.js';
import { adjustedRandIndex } from '../quality/adjusted-rand-index.js';
import { kmeans } from './kmeans.js';
import type { Matrix } from './matrix.js';

function matrix(rows: readonly (readonly number[])[]): Matrix {
  return { data: Float64Array.from(rows.flat()), rows: rows.length, cols: rows[0]!.length };
}

function toRows(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
}

/** Gaussian blobs of `perBlob` points around each centre, with the blob each point came from. */
function blobs(centres: readonly (readonly number[])[], perBlob: number, sd: number, seed: number): { points: Matrix; truth: Int32Array } {
  const stream = randomStream(seed, 'test-blobs');
  const cols = centres[0]!.length;
  const rows: number[][] = [];
  const truth: number[] = [];
  for (let i = 0; i < perBlob; i++) {
    centres.forEach((centre, b) => {
      rows.push(Array.from({ length: cols }, (_, c) => centre[c]! + sd * normal(stream)));
      truth.push(b);
    });
  }
  return { points: matrix(rows), truth: Int32Array.from(truth) };
}

function uniform(rows: number, cols: number, seed: number): Matrix {
  const stream = randomStream(seed, 'test-uniform');
  return { data: Float64Array.from({ length: rows * cols }, () => stream.next()), rows, cols };
}

/** Sum of squared distances of each row to the mean of its cluster: the best inertia a partition allows. */
function partitionInertia(points: Matrix, labels: ArrayLike<number>): number {
  const { data, rows, cols } = points;
  const sums = new Map<number, { n: number; s: number[] }>();
  for (let r = 0; r < rows; r++) {
    const entry = sums.get(labels[r]!) ?? { n: 0, s: new Array<number>(cols).fill(0) };
    entry.n++;
    for (let c = 0; c < cols; c++) entry.s[c]! += data[r * cols + c]!;
    sums.set(labels[r]!, entry);
  }
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const { n, s } = sums.get(labels[r]!)!;
    for (let c = 0; c < cols; c++) total += (data[r * cols + c]! - s[c]! / n) ** 2;
  }
  return total;
}

/** Inertia recomputed by brute force from labels and centroids. */
function inertiaOf(points: Matrix, labels: Int32Array, centroids: Matrix): number {
  let total = 0;
  for (let r = 0; r < points.rows; r++) {
    for (let c = 0; c < points.cols; c++) total += (points.data[r * points.cols + c]! - centroids.data[labels[r]! * points.cols + c]!) ** 2;
  }
  return total;
}

describe('kmeans', () => {
  it('recovers well-separated blobs exactly', () => {
    const { points, truth } = blobs(
      [
        [0, 0, 0],
        [10, 0, 0],
        [0, 10, 0],
        [0, 0, 10],
        [10, 10, 10],
      ],
      40,
      0.5,
      1,
    );
    const result = kmeans(points, { k: 5, seed: 3 });
    expect(adjustedRandIndex(truth, result.labels)).to.equal(1);
    expect(result.inertia).to.be.closeTo(inertiaOf(points, result.labels, result.centroids), 1e-9);
    expect(result.inertia).to.be.closeTo(partitionInertia(points, truth), 1e-9);
    expect(result.iterations).to.be.within(1, 300);
  });

  it('gives identical labels, centroids and inertia for the same seed', () => {
    const points = uniform(300, 3, 5);
    const a = kmeans(points, { k: 6, seed: 11 });
    const b = kmeans(points, { k: 6, seed: 11 });
    expect(Array.from(b.labels)).to.deep.equal(Array.from(a.labels));
    expect(Array.from(b.centroids.data)).to.deep.equal(Array.from(a.centroids.data));
    expect(b.inertia).to.equal(a.inertia);
  });

  it('depends on the seed and on the stream key when the data have several local minima', () => {
    const points = uniform(300, 2, 6);
    const inertias = new Set<number>();
    for (let seed = 0; seed < 6; seed++) inertias.add(kmeans(points, { k: 9, seed, nInit: 1 }).inertia);
    inertias.add(kmeans(points, { k: 9, seed: 0, nInit: 1, streamKey: 'other' }).inertia);
    expect(inertias.size).to.be.greaterThan(1);
  });

  it('keeps the restart with the lowest inertia', () => {
    // Restart r draws from the same stream whatever nInit is, so the inertia for nInit = m is
    // the minimum over restarts 0..m-1: it can only go down as restarts are added.
    const points = uniform(400, 2, 7);
    const byRestarts = Array.from({ length: 12 }, (_, i) => kmeans(points, { k: 10, seed: 2, nInit: i + 1 }));
    for (let i = 1; i < byRestarts.length; i++) {
      expect(byRestarts[i]!.inertia, `nInit ${i + 1}`).to.be.at.most(byRestarts[i - 1]!.inertia);
      expect(byRestarts[i]!.inertia).to.be.closeTo(inertiaOf(points, byRestarts[i]!.labels, byRestarts[i]!.centroids), 1e-9);
    }
    // The data must make the restarts matter, or the test above could not fail.
    expect(byRestarts.at(-1)!.inertia).to.be.lessThan(byRestarts[0]!.inertia);
  });

  describe('against ml-kmeans', () => {
    const cases: { name: string; points: Matrix; k: number; easy: boolean }[] = [
      {
        name: 'separated blobs',
        points: blobs(
          [
            [0, 0],
            [6, 0],
            [0, 6],
            [6, 6],
          ],
          50,
          1,
          8,
        ).points,
        k: 4,
        easy: true,
      },
      {
        name: 'overlapping blobs',
        points: blobs(
          [
            [0, 0, 0],
            [2, 1, 0],
            [1, 2, 1],
          ],
          80,
          1,
          9,
        ).points,
        k: 3,
        easy: false,
      },
      { name: 'uniform square', points: uniform(300, 2, 10), k: 7, easy: false },
      { name: 'uniform 5-D', points: uniform(250, 5, 12), k: 5, easy: false },
    ];
    for (const { name, points, k, easy } of cases) {
      // On structureless data which local minimum a run lands in is chance, so only data with
      // one sensible optimum is compared against the best of ten ml-kmeans runs; the test below
      // checks every case for a true local minimum.
      if (easy) {
        it(`reaches an inertia no higher than the best of ten ml-kmeans runs on ${name}`, () => {
          const ours = kmeans(points, { k, seed: 42 });
          const rows = toRows(points);
          let theirs = Infinity;
          for (let seed = 1; seed <= 10; seed++) {
            const fit = mlKmeans(rows, k, { seed, initialization: 'kmeans++', maxIterations: 300 });
            theirs = Math.min(theirs, partitionInertia(points, fit.clusters));
          }
          expect(Number.isFinite(theirs)).to.equal(true);
          expect(ours.inertia).to.be.at.most(theirs * (1 + 1e-6));
        });
      }

      it(`stops at a local minimum that ml-kmeans cannot improve on ${name}`, () => {
        const ours = kmeans(points, { k, seed: 42 });
        const polished = mlKmeans(toRows(points), k, { initialization: toRows(ours.centroids), maxIterations: 300, tolerance: 0 });
        expect(ours.inertia).to.be.at.most(partitionInertia(points, polished.clusters) * (1 + 1e-6));
        expect(ours.inertia).to.be.closeTo(partitionInertia(points, ours.labels), 1e-6 * ours.inertia);
      });
    }
  });

  it('puts every row in its own cluster when k equals the number of rows', () => {
    const points = matrix([
      [0, 0],
      [1, 0],
      [0, 1],
      [5, 5],
      [3, -2],
    ]);
    const result = kmeans(points, { k: 5, seed: 1 });
    expect(new Set(result.labels).size).to.equal(5);
    expect(result.inertia).to.equal(0);
  });

  it('leaves no cluster empty when there are at least k distinct points', () => {
    // Many clusters on few points makes Lloyd's iterations empty clusters along the way.
    for (let seed = 0; seed < 30; seed++) {
      const points = uniform(40, 2, 100 + seed);
      const result = kmeans(points, { k: 25, seed, nInit: 1 });
      expect(new Set(result.labels).size, `seed ${seed}`).to.equal(25);
      expect(result.centroids.data.every(Number.isFinite), `seed ${seed}`).to.equal(true);
    }
  });

  it('throws a RangeError when k is larger than the number of rows or below 1', () => {
    const points = matrix([[0], [1], [2]]);
    expect(() => kmeans(points, { k: 4, seed: 1 })).to.throw(RangeError, /k must be in 1\.\.3/);
    expect(() => kmeans(points, { k: 0, seed: 1 })).to.throw(RangeError);
  });

  it('handles duplicate points when k exceeds the number of distinct points', () => {
    for (const rows of [
      [
        [1, 1],
        [1, 1],
        [1, 1],
      ],
      [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
        [5, 5],
      ],
    ]) {
      const points = matrix(rows);
      const result = kmeans(points, { k: 3, seed: 1 });
      expect(result.labels.length).to.equal(rows.length);
      for (const label of result.labels) expect(label).to.be.within(0, 2);
      expect(result.inertia).to.equal(0);
      expect(result.centroids.data.every(Number.isFinite), `centroids ${Array.from(result.centroids.data).join(', ')}`).to.equal(true);
    }
  });
});

describe('kmeans restarts on a sample', () => {
  it('recovers well-separated blobs exactly when the restarts run on a sample', () => {
    const { points, truth } = blobs(
      [
        [0, 0, 0],
        [10, 0, 0],
        [0, 10, 0],
        [0, 0, 10],
        [10, 10, 10],
      ],
      400,
      0.5,
      21,
    );
    const result = kmeans(points, { k: 5, seed: 3, restartRows: 150 });
    expect(adjustedRandIndex(truth, result.labels)).to.equal(1);
    expect(result.inertia).to.be.closeTo(partitionInertia(points, truth), 1e-6 * result.inertia);
  });

  it('ends at a Lloyd fixed point of every row, not of the sample', () => {
    const points = uniform(3000, 2, 22);
    const result = kmeans(points, { k: 8, seed: 5, restartRows: 300 });
    // Each row is labelled with its nearest centroid, and each centroid is the mean of its rows.
    expect(result.inertia).to.be.closeTo(partitionInertia(points, result.labels), 1e-9 * result.inertia);
    expect(result.inertia).to.be.closeTo(inertiaOf(points, result.labels, result.centroids), 1e-9 * result.inertia);
    const polished = mlKmeans(toRows(points), 8, { initialization: toRows(result.centroids), maxIterations: 300, tolerance: 0 });
    expect(result.inertia).to.be.at.most(partitionInertia(points, polished.clusters) * (1 + 1e-9));
  });

  it('gives identical results for the same seed, and uses the sample only above restartRows', () => {
    const points = uniform(2000, 3, 23);
    const a = kmeans(points, { k: 6, seed: 11, restartRows: 500 });
    const b = kmeans(points, { k: 6, seed: 11, restartRows: 500 });
    expect(Array.from(b.labels)).to.deep.equal(Array.from(a.labels));
    expect(b.inertia).to.equal(a.inertia);
    const all = kmeans(points, { k: 6, seed: 11 });
    const limit = kmeans(points, { k: 6, seed: 11, restartRows: 2000 });
    expect(Array.from(limit.labels)).to.deep.equal(Array.from(all.labels));
    expect(limit.inertia).to.equal(all.inertia);
  });

  it('reaches an inertia within 1 % of restarts on every row', () => {
    for (const [seed, points] of [
      [31, uniform(4000, 2, 31)],
      [
        32,
        blobs(
          [
            [0, 0, 0],
            [2, 1, 0],
            [1, 2, 1],
          ],
          1500,
          1,
          32,
        ).points,
      ],
    ] as const) {
      const full = kmeans(points, { k: 7, seed });
      const sampled = kmeans(points, { k: 7, seed, restartRows: 400 });
      expect(sampled.inertia, `seed ${seed}`).to.be.at.most(full.inertia * 1.01);
    }
  });
});
