import { expect } from 'chai';
import { InvalidInputError } from './errors.js';

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
