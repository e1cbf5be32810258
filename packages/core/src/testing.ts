import { expect } from 'chai';
import { InvalidInputError } from './errors.js';
import type { ProfileSet } from './profiles/types.js';
import { randomStream } from './random/seeded.js';

/**
 * Test helper (not built, not exported): runs `run`, which must throw an InvalidInputError, and
 * returns it for the test to inspect.
 */
export function invalidInput(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  return expect.fail('expected an InvalidInputError');
}

/**
 * Test helper: the same people in a seeded random row order (energies, lines and metadata move
 * with them), and the order, `order[newRow] = oldRow`.
 */
export function shuffledProfiles(set: ProfileSet, seed: number): { set: ProfileSet; order: number[] } {
  const n = set.ids.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const stream = randomStream(seed, 'shuffle');
  for (let i = n - 1; i > 0; i--) {
    const j = stream.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const energies = new Float64Array(n * 4);
  order.forEach((from, to) => energies.set(set.energies.subarray(from * 4, from * 4 + 4), to * 4));
  const metadata = Object.fromEntries(Object.entries(set.metadata).map(([column, values]) => [column, order.map((i) => values[i]!)]));
  return {
    set: { ...set, ids: order.map((i) => set.ids[i]!), energies, lines: Int32Array.from(order, (i) => set.lines[i]!), metadata },
    order,
  };
}
