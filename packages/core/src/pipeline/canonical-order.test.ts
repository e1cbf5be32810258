import { expect } from 'chai';
import { randomStream } from '../random/seeded.js';
import { canonicalOrder } from './canonical-order.js';

describe('canonicalOrder', () => {
  it('orders rows by employee_id in code-unit order, whether or not they come sorted', () => {
    expect(Array.from(canonicalOrder(['b', 'a', 'c']))).to.deep.equal([1, 0, 2]);
    expect(Array.from(canonicalOrder(['a', 'b', 'c']))).to.deep.equal([0, 1, 2]);
    expect(Array.from(canonicalOrder(['a', 'c', 'b']))).to.deep.equal([0, 2, 1]);
    expect(Array.from(canonicalOrder(['Z', 'a', '10', '9']))).to.deep.equal([2, 3, 0, 1]);
    expect(Array.from(canonicalOrder([]))).to.deep.equal([]);
  });

  it('gives every shuffle of the same ids the same ids in the same order', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `E${(i * 7919) % 1000}`);
    const sorted = [...ids].sort();
    for (let seed = 0; seed < 20; seed++) {
      const stream = randomStream(seed, 'canonical-order-test');
      const shuffled = seed === 0 ? sorted : [...ids].sort(() => stream.next() - 0.5);
      expect(Array.from(canonicalOrder(shuffled), (i) => shuffled[i])).to.deep.equal(sorted);
    }
  });
});
