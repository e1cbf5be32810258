import { expect } from 'chai';
import { balanceOf, clusterMix, deviation, populationBalance } from './scores.js';

describe('team scores', () => {
  describe('deviation and balanceOf', () => {
    it('measures the L1 distance of the mean profile from (25, 25, 25, 25)', () => {
      // Two people summing to (80, 60, 40, 20): mean (40, 30, 20, 10), |15| + |5| + |−5| + |−15| = 40.
      const sums = Float64Array.from([80, 60, 40, 20]);
      expect(deviation(sums, 0, 2)).to.be.closeTo(40, 1e-12);
      expect(balanceOf(40)).to.be.closeTo(1 - 40 / 150, 1e-12);
    });

    it('reads the team at the given offset', () => {
      const sums = Float64Array.from([100, 0, 0, 0, 75, 75, 75, 75]);
      expect(deviation(sums, 0, 1)).to.equal(150);
      expect(deviation(sums, 4, 3)).to.equal(0);
    });

    it('gives 1 for a perfectly balanced mean and 0 for a single pure energy', () => {
      expect(balanceOf(deviation(Float64Array.from([25, 25, 25, 25]), 0, 1))).to.equal(1);
      expect(balanceOf(deviation(Float64Array.from([0, 0, 300, 0]), 0, 3))).to.equal(0);
    });

    it('treats an empty team as balanced rather than dividing by zero', () => {
      expect(deviation(new Float64Array(4), 0, 0)).to.equal(0);
    });
  });

  describe('populationBalance', () => {
    it('is the balance of the overall mean, not the mean of individual balances', () => {
      // Each person alone is unbalanced (balance 0.2), but together their mean is (40, 30, 20, 10).
      const energies = Float64Array.from([70, 10, 10, 10, 10, 50, 30, 10]);
      expect(balanceOf(deviation(Float64Array.from([70, 10, 10, 10]), 0, 1))).to.be.closeTo(0.4, 1e-12);
      expect(populationBalance(energies)).to.be.closeTo(1 - 40 / 150, 1e-12);
    });

    it('is 1 for people who cancel each other out', () => {
      expect(populationBalance(Float64Array.from([100, 0, 0, 0, 0, 100, 0, 0, 0, 0, 100, 0, 0, 0, 0, 100]))).to.be.closeTo(1, 1e-12);
    });
  });

  describe('clusterMix', () => {
    it('divides the distinct clusters by what the team could hold at most', () => {
      expect(clusterMix(2, 3, 4)).to.be.closeTo(2 / 3, 1e-12);
      expect(clusterMix(4, 7, 4)).to.equal(1);
      expect(clusterMix(2, 7, 4)).to.equal(0.5);
      expect(clusterMix(2, 2, 4)).to.equal(1);
      expect(clusterMix(1, 5, 1)).to.equal(1);
    });

    it('gives 1 to an empty team', () => {
      expect(clusterMix(0, 0, 4)).to.equal(1);
    });
  });
});
