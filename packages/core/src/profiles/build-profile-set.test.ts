import { expect } from 'chai';
import { buildProfileSet, type RawRow } from './build-profile-set.js';
import { invalidInput as invalid } from '../testing.js';

function row(line: number, id: unknown, energies: unknown[], extra: Record<string, unknown> = {}): RawRow {
  const [red_energy, blue_energy, green_energy, yellow_energy] = energies;
  return { line, values: { employee_id: id, red_energy, blue_energy, green_energy, yellow_energy, ...extra } };
}

describe('buildProfileSet', () => {
  it('normalises each row to percentages summing to 100, in red, blue, green, yellow order', () => {
    const set = buildProfileSet([row(2, 'a', ['10', '20', '30', '40']), row(3, 'b', [1, 1, 1, 0]), row(4, 'c', ['0.1', '0.2', '0.3', '1e-7'])], [], {
      unit: 'line',
    });
    expect(set.ids).to.deep.equal(['a', 'b', 'c']);
    expect(Array.from(set.energies.subarray(0, 4))).to.deep.equal([10, 20, 30, 40]);
    expect(set.energies[4]).to.be.closeTo(100 / 3, 1e-12);
    expect(set.energies[7]).to.equal(0);
    for (let i = 0; i < 3; i++) {
      const sum = set.energies[4 * i]! + set.energies[4 * i + 1]! + set.energies[4 * i + 2]! + set.energies[4 * i + 3]!;
      expect(sum).to.be.closeTo(100, 1e-9);
    }
    expect(Array.from(set.lines)).to.deep.equal([2, 3, 4]);
    expect(set.lineUnit).to.equal('line');
    expect(set.skipped).to.deep.equal([]);
  });

  it('normalises energies whose sum overflows a double', () => {
    const set = buildProfileSet([row(2, 'a', [1e308, 1e308, 0, 0])], [], { unit: 'line' });
    expect(Array.from(set.energies)).to.deep.equal([50, 50, 0, 0]);
  });

  it('trims ids and accepts numeric ids', () => {
    const set = buildProfileSet([row(2, '  a ', [1, 1, 1, 1]), row(3, 42, [1, 1, 1, 1])], [], { unit: 'line' });
    expect(set.ids).to.deep.equal(['a', '42']);
  });

  it('keeps metadata column-wise, as text, with an empty string when absent', () => {
    const set = buildProfileSet(
      [row(1, 'a', [1, 1, 1, 1], { team: 'North', size: 3 }), row(2, 'b', [1, 1, 1, 1], { team: null }), row(3, 'c', [1, 1, 1, 1], { size: { x: 1 } })],
      ['team', 'size', 'toString'],
      { unit: 'item' },
    );
    expect(set.metadata).to.deep.equal({
      team: ['North', '', ''],
      size: ['3', '', '{"x":1}'],
      toString: ['', '', ''],
    });
  });

  it('collects every problem of every row, in row order', () => {
    const error = invalid(() =>
      buildProfileSet(
        [
          row(2, '', ['', 'abc', '-3', '1']),
          row(3, 'b', ['0', '0', '0', '0']),
          row(4, 'c', [1, 1, 1, 1]),
          row(5, ' c ', [1, 1, 1, 1]),
          { line: 6, values: {}, problems: [{ reason: 'expected 6 fields, found 5' }] },
        ],
        [],
        { unit: 'line' },
      ),
    );
    expect(error.totalProblems).to.equal(7);
    expect(error.message).to.equal(
      [
        'invalid input (7 problems):',
        'line 2, column employee_id: empty employee_id',
        'line 2, column red_energy: empty energy',
        'line 2, column blue_energy: not a number: "abc"',
        'line 2, column green_energy: negative energy: -3',
        'line 3: all four energies are zero',
        'line 5, column employee_id: duplicate employee_id, first used on line 4',
        'line 6: expected 6 fields, found 5',
      ].join('\n  '),
    );
  });

  it('reports JSON-typed values: missing keys, null, booleans, objects, non-finite numbers', () => {
    const error = invalid(() =>
      buildProfileSet(
        [{ line: 1, values: { red_energy: null, blue_energy: true, green_energy: [1], yellow_energy: Number.NaN } }, row(2, { id: 1 }, [-2, 1, 1, 1])],
        [],
        { unit: 'item' },
      ),
    );
    expect(error.problems.map((p) => `${p.unit} ${p.line} ${p.column}: ${p.reason}`)).to.deep.equal([
      'item 1 employee_id: missing employee_id',
      'item 1 red_energy: empty energy',
      'item 1 blue_energy: not a number: "true"',
      'item 1 green_energy: expected a number, found an array',
      'item 1 yellow_energy: not a number: "NaN"',
      'item 2 employee_id: expected a string, found an object',
      'item 2 red_energy: negative energy: -2',
    ]);
  });

  it('lists at most maxProblems problems and counts the rest', () => {
    const rows = Array.from({ length: 30 }, (_, i) => row(i + 2, `p${i}`, ['x', 1, 1, 1]));
    const error = invalid(() => buildProfileSet(rows, [], { unit: 'line' }));
    expect(error.problems).to.have.length(20);
    expect(error.totalProblems).to.equal(30);
    expect(error.message).to.match(/^invalid input \(30 problems\):\n {2}line 2, column red_energy: not a number: "x"\n/);
    expect(error.message.endsWith('\n  line 21, column red_energy: not a number: "x"\n  … and 10 more problems')).to.equal(true);
    const capped = invalid(() => buildProfileSet(rows, [], { unit: 'line', maxProblems: 2 }));
    expect(capped.problems).to.have.length(2);
    expect(capped.message).to.contain('… and 28 more problems');
  });

  it('skips invalid rows on request, listing each with its reasons and id', () => {
    const set = buildProfileSet(
      [
        row(2, 'a', [1, 2, 3, 4]),
        row(3, '', [1, 1, 1, 1]),
        row(4, 'c', ['-1', '0', '0', '0']),
        row(5, 'a', [4, 3, 2, 1]),
        row(6, 'e', [0, 0, 1, 0], { team: 'x' }),
      ],
      ['team'],
      { unit: 'line', skipInvalid: true },
    );
    expect(set.ids).to.deep.equal(['a', 'e']);
    expect(Array.from(set.lines)).to.deep.equal([2, 6]);
    expect(Array.from(set.energies)).to.deep.equal([10, 20, 30, 40, 0, 0, 100, 0]);
    expect(set.metadata).to.deep.equal({ team: ['', 'x'] });
    expect(set.skipped).to.deep.equal([
      { line: 3, reasons: ['column employee_id: empty employee_id'] },
      { line: 4, employee_id: 'c', reasons: ['column red_energy: negative energy: -1'] },
      { line: 5, employee_id: 'a', reasons: ['column employee_id: duplicate employee_id, first used on line 2'] },
    ]);
  });

  it('lets the first row with an id keep it even when that row is invalid', () => {
    const set = buildProfileSet([row(2, 'a', ['x', 1, 1, 1]), row(3, 'a', [1, 1, 1, 1]), row(4, 'b', [1, 1, 1, 1])], [], {
      unit: 'line',
      skipInvalid: true,
    });
    expect(set.ids).to.deep.equal(['b']);
    expect(set.skipped.map((s) => s.line)).to.deep.equal([2, 3]);
  });

  it('fails when skipping leaves no row, still saying why', () => {
    const error = invalid(() => buildProfileSet([row(2, 'a', [0, 0, 0, 0]), row(3, '', [1, 1, 1, 1])], [], { unit: 'line', skipInvalid: true }));
    expect(error.message).to.equal(
      [
        'invalid input (3 problems):',
        'no valid rows: all 2 data rows have problems',
        'line 2: all four energies are zero',
        'line 3, column employee_id: empty employee_id',
      ].join('\n  '),
    );
  });

  it('fails on an empty data set', () => {
    const error = invalid(() => buildProfileSet([], [], { unit: 'item', skipInvalid: true }));
    expect(error.message).to.equal('invalid input (1 problem):\n  no data rows: expected at least one profile');
  });
});
