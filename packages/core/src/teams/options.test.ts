import { expect } from 'chai';
import { InvalidOptionsError } from '../errors.js';
import { resolveTeamOptions, type TeamOptionsInput } from './options.js';

function invalid(input: unknown): InvalidOptionsError {
  try {
    resolveTeamOptions(input as TeamOptionsInput);
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidOptionsError);
    return error as InvalidOptionsError;
  }
  return expect.fail('expected an InvalidOptionsError');
}

describe('resolveTeamOptions', () => {
  it('fills in the documented defaults', () => {
    expect(resolveTeamOptions({ teams: 3 })).to.deep.equal({ teams: 3, seed: 42, keepApart: [], keepTogether: [], movesPerPerson: 60 });
    expect(resolveTeamOptions({ teamSize: [5, 7] })).to.deep.equal({ teamSize: [5, 7], seed: 42, keepApart: [], keepTogether: [], movesPerPerson: 60 });
  });

  it('refuses both teams and teamSize, and neither', () => {
    expect(invalid({ teams: 3, teamSize: [5, 7] }).problems).to.deep.equal(['teams: give either teams or teamSize (exactly one)']);
    expect(invalid({}).problems).to.deep.equal(['teams: give either teams or teamSize (exactly one)']);
  });

  it('refuses a range whose smallest size is above its largest', () => {
    expect(invalid({ teamSize: [7, 5] }).problems).to.deep.equal(['teamSize: smallest size 7 is above largest 5']);
  });

  it('reports every problem at once', () => {
    const error = invalid({ teams: 0, seed: -1, keepTogether: [['only-one']], movesPerPerson: 1.5 });
    const options = error.problems.map((p) => p.split(':')[0]);
    expect(options).to.include.members(['teams', 'seed', 'keepTogether.0', 'movesPerPerson']);
  });

  it('refuses unknown options', () => {
    expect(invalid({ teams: 2, team_size: [5, 7] }).message).to.include('team_size');
  });
});
