import { expect } from 'chai';
import { randomStream } from '../random/seeded.js';
import { adjustedRandIndex } from './adjusted-rand-index.js';

/** ARI from pair counts over all n(n−1)/2 pairs (Hubert & Arabie's pair-counting form). */
function pairCountingAri(a: readonly number[], b: readonly number[]): number {
  let bothSame = 0;
  let onlyA = 0;
  let onlyB = 0;
  let neither = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const sameA = a[i] === a[j];
      const sameB = b[i] === b[j];
      if (sameA && sameB) bothSame++;
      else if (sameA) onlyA++;
      else if (sameB) onlyB++;
      else neither++;
    }
  }
  return (2 * (neither * bothSame - onlyA * onlyB)) / ((neither + onlyA) * (onlyA + bothSame) + (neither + onlyB) * (onlyB + bothSame));
}

describe('adjustedRandIndex', () => {
  it('is 1 for identical labelings', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2, 2], [0, 0, 1, 1, 2, 2, 2])).to.equal(1);
  });

  it('is 1 whatever the label names', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2, 2], [7, 7, -1, -1, 3, 3, 3])).to.equal(1);
    expect(adjustedRandIndex(Int32Array.from([2, 0, 1, 2]), Float64Array.from([0, 1, 2, 0]))).to.equal(1);
  });

  it('matches a hand-computed example', () => {
    // Contingency [[2,1,0],[0,1,2]]: index 2, row pairs 6, column pairs 3, all pairs 15,
    // expected 6·3/15 = 1.2, max 4.5, so (2 − 1.2) / (4.5 − 1.2) = 8/33.
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).to.be.closeTo(8 / 33, 1e-15);
  });

  it("matches scikit-learn's documented adjusted_rand_score examples", () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 1])).to.equal(1);
    expect(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0])).to.equal(1);
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).to.be.closeTo(0.5714285714, 1e-10);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).to.be.closeTo(0.5714285714, 1e-10);
    expect(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3])).to.equal(0);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).to.be.closeTo(-0.5, 1e-15);
  });

  it('agrees with pair counting on random labelings, and is symmetric', () => {
    const stream = randomStream(3, 'ari-test');
    for (let trial = 0; trial < 20; trial++) {
      const n = 10 + stream.int(60);
      const a = Array.from({ length: n }, () => stream.int(2 + (trial % 5)));
      const b = trial % 2 === 0 ? a.map((x) => (stream.next() < 0.3 ? stream.int(4) : x)) : Array.from({ length: n }, () => stream.int(3));
      const expected = pairCountingAri(a, b);
      expect(adjustedRandIndex(a, b), `trial ${trial}`).to.be.closeTo(expected, 1e-12);
      expect(adjustedRandIndex(b, a), `trial ${trial}`).to.be.closeTo(expected, 1e-12);
    }
  });

  it('is about 0 for independent labelings', () => {
    const stream = randomStream(4, 'ari-independent');
    const a = Array.from({ length: 2000 }, () => stream.int(4));
    const b = Array.from({ length: 2000 }, () => stream.int(4));
    expect(adjustedRandIndex(a, b)).to.be.closeTo(0, 0.02);
  });

  it('throws a RangeError when the labelings differ in length', () => {
    expect(() => adjustedRandIndex([0, 1, 1], [0, 1])).to.throw(RangeError, /differ in length: 3 and 2/);
  });
});
