import { expect } from 'chai';
import { resolveConstraints } from './constraints.js';
import { invalidInput } from '../testing.js';

const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

describe('resolveConstraints', () => {
  it('leaves everyone alone and unconstrained when nothing is asked', () => {
    const c = resolveConstraints(IDS, [], [], 5);
    expect(c.units).to.deep.equal(IDS.map((_, row) => [row]));
    expect([...c.unitOf]).to.deep.equal(IDS.map((_, row) => row));
    expect([...c.pinned]).to.deep.equal(IDS.map(() => 0));
    expect(c.apart).to.deep.equal(IDS.map(() => []));
  });

  it('merges keepTogether groups that share someone into one unit and pins its members', () => {
    const c = resolveConstraints(
      IDS,
      [],
      [
        ['b', 'c'],
        ['e', 'f'],
        ['c', 'g'],
      ],
      5,
    );
    const unitOfId = (id: string) => c.unitOf[IDS.indexOf(id)]!;
    expect(unitOfId('b')).to.equal(unitOfId('c'));
    expect(unitOfId('g')).to.equal(unitOfId('b'));
    expect(unitOfId('e')).to.equal(unitOfId('f'));
    expect(unitOfId('e')).to.not.equal(unitOfId('b'));
    expect(c.units.find((u) => u.includes(1))).to.deep.equal([1, 2, 6]);
    expect(c.units.filter((u) => u.length > 1)).to.have.length(2);
    expect(c.units.flat().sort((x, y) => x - y)).to.deep.equal(IDS.map((_, row) => row));
    expect([...c.pinned]).to.deep.equal([0, 1, 1, 0, 1, 1, 1, 0]);
  });

  it('records keepApart pairs on both sides', () => {
    const c = resolveConstraints(
      IDS,
      [
        ['a', 'd'],
        ['d', 'h'],
      ],
      [],
      5,
    );
    expect(c.apart[0]).to.deep.equal([3]);
    expect(c.apart[3]).to.deep.equal([0, 7]);
    expect(c.apart[7]).to.deep.equal([3]);
  });

  it('names unknown employee_ids by position only, every one of them', () => {
    const error = invalidInput(() => resolveConstraints(IDS, [['a', 'secret-x1']], [['b', 'secret-y2', 'c']], 5));
    expect(error.message).to.include('keepTogether group 1, member 2: employee_id is not in the data');
    expect(error.message).to.include('keepApart pair 1, second: employee_id is not in the data');
    expect(error.totalProblems).to.equal(2);
    expect(error.message).to.not.include('secret');
  });

  it('refuses a keepApart pair naming one person twice', () => {
    const error = invalidInput(() => resolveConstraints(IDS, [['c', 'c']], [], 5));
    expect(error.message).to.include('keepApart pair 1: names the same person twice');
  });

  it('refuses a keepApart pair inside merged keepTogether groups, naming the groups', () => {
    const error = invalidInput(() =>
      resolveConstraints(
        IDS,
        [
          ['a', 'b'],
          ['b', 'd'],
        ],
        [
          ['b', 'c'],
          ['c', 'd'],
        ],
        5,
      ),
    );
    expect(error.message).to.include('keepApart pair 2 conflicts with keepTogether groups 1 and 2: the two must share a team');
    expect(error.totalProblems).to.equal(1);
  });

  it('refuses a merged group larger than the largest team, saying how large', () => {
    const error = invalidInput(() =>
      resolveConstraints(
        IDS,
        [],
        [
          ['a', 'b', 'c'],
          ['c', 'd'],
          ['g', 'h'],
        ],
        3,
      ),
    );
    expect(error.message).to.include('keepTogether groups 1 and 2 need a team of 4, larger than the largest team (3)');
    expect(error.totalProblems).to.equal(1);
  });
});
