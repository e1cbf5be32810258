import { expect } from 'chai';
import type { Matrix } from '../kmeans/matrix.js';
import { kmeans } from '../kmeans/kmeans.js';
import { normal, randomStream } from '../random/seeded.js';
import { bootstrapStability } from './stability.js';

/** Points around `centres`, `sd` apart in every coordinate. */
function blobs(centres: readonly (readonly number[])[], n: number, sd: number, seed: number): Matrix {
  const stream = randomStream(seed, 'stability-test');
  const cols = centres[0]!.length;
  const data = new Float64Array(n * cols);
  for (let r = 0; r < n; r++) {
    const centre = centres[r % centres.length]!;
    for (let c = 0; c < cols; c++) data[r * cols + c] = centre[c]! + sd * normal(stream);
  }
  return { data, rows: n, cols };
}

describe('bootstrapStability', () => {
  it('is 1 for well-separated clusters and lower for structureless data', () => {
    const separated = blobs(
      [
        [0, 0],
        [10, 0],
        [0, 10],
      ],
      600,
      0.5,
      1,
    );
    const fit = kmeans(separated, { k: 3, seed: 1 });
    expect(bootstrapStability(separated, fit.labels, { k: 3, seed: 4, runs: 5 })).to.equal(1);
    const flat = blobs([[0, 0]], 600, 1, 2);
    const flatFit = kmeans(flat, { k: 6, seed: 1 });
    expect(bootstrapStability(flat, flatFit.labels, { k: 6, seed: 4, runs: 5 })).to.be.below(0.95);
  });

  it('scores on every row up to maxEvaluationRows, and on a seeded sample above it', () => {
    const points = blobs(
      [
        [0, 0, 0],
        [2, 1, 0],
        [1, 2, 1],
      ],
      3000,
      1,
      3,
    );
    const { labels } = kmeans(points, { k: 3, seed: 2 });
    const options = { k: 3, seed: 9, runs: 4, maxSampleSize: 1000 };
    const exact = bootstrapStability(points, labels, { ...options, maxEvaluationRows: 3000 });
    expect(bootstrapStability(points, labels, options)).to.equal(exact);
    const sampled = bootstrapStability(points, labels, { ...options, maxEvaluationRows: 800 });
    expect(sampled).to.not.equal(exact);
    expect(sampled).to.be.closeTo(exact, 0.03);
    expect(bootstrapStability(points, labels, { ...options, maxEvaluationRows: 800 })).to.equal(sampled);
  });
});
