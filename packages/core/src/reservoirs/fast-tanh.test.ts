import { expect } from 'chai';
import { fastTanh } from './fast-tanh.js';

describe('fastTanh', () => {
  it('is within 1e-6 of Math.tanh over [-20, 20]', () => {
    let worst = 0;
    let worstAt = 0;
    for (let i = 0; i <= 400_000; i++) {
      const x = -20 + i * 1e-4;
      const error = Math.abs(fastTanh(x) - Math.tanh(x));
      if (error > worst) {
        worst = error;
        worstAt = x;
      }
    }
    expect(worst, `worst at ${worstAt}`).to.be.below(1e-6);
  });

  it('is odd, 0 at 0 and bounded by 1 beyond the fitted range', () => {
    expect(fastTanh(0)).to.equal(0);
    for (const x of [0.1, 1, 3, 7.9, 8, 50, 1e6]) expect(fastTanh(-x)).to.equal(-fastTanh(x));
    for (const x of [8, 100, 1e300, Infinity]) {
      expect(fastTanh(x)).to.be.at.most(1);
      expect(fastTanh(x)).to.be.closeTo(1, 1e-6);
    }
  });

  it('is non-decreasing', () => {
    let previous = fastTanh(-10);
    const decreasesAt: number[] = [];
    for (let i = 1; i <= 200_000; i++) {
      const x = -10 + i * 1e-4;
      const value = fastTanh(x);
      if (value < previous) decreasesAt.push(x);
      previous = value;
    }
    expect(decreasesAt.slice(0, 5)).to.deep.equal([]);
  });
});
