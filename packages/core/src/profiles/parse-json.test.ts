import { expect } from 'chai';
import type { InvalidInputError } from '../errors.js';
import { parseProfilesJson, parseProfilesJsonText } from './parse-json.js';
import { invalidInput as invalid } from '../testing.js';

function messages(error: InvalidInputError): string[] {
  return error.message.split('\n  ').slice(1);
}

function person(id: unknown, red: unknown, blue: unknown, green: unknown, yellow: unknown, extra: object = {}): object {
  return { employee_id: id, red_energy: red, blue_energy: blue, green_energy: green, yellow_energy: yellow, ...extra };
}

describe('parseProfilesJson', () => {
  it('reads an array of objects with numbers or numeric strings, normalised', () => {
    const set = parseProfilesJson([person('E1', 10, 20, 30, 40), person('E2', '1', ' 1 ', '1e0', 1)]);
    expect(set.ids).to.deep.equal(['E1', 'E2']);
    expect(Array.from(set.energies)).to.deep.equal([10, 20, 30, 40, 25, 25, 25, 25]);
    expect(Array.from(set.lines)).to.deep.equal([1, 2]);
    expect(set.lineUnit).to.equal('item');
  });

  it('keeps other keys as metadata in order of first appearance, empty when absent', () => {
    const set = parseProfilesJson([person('E1', 1, 1, 1, 1, { team: 'North' }), person('E2', 1, 1, 1, 1, { site: 'Oslo', team: 7 })]);
    expect(set.metadata).to.deep.equal({ team: ['North', '7'], site: ['', 'Oslo'] });
  });

  it('locates problems by 1-based item number', () => {
    const error = invalid(() =>
      parseProfilesJson([
        person('E1', 1, 1, 1, 1),
        person('E2', 1, 'abc', 1, 1),
        person('E3', -3, 1, 1, 1),
        person('E1', 0, 0, 0, 0),
        person('', 1, 1, 1, 1),
        { employee_id: 'E6', red_energy: 1, blue_energy: 1, green_energy: 1 },
        'E7',
        null,
        [1, 2],
      ]),
    );
    expect(messages(error)).to.deep.equal([
      'item 2, column blue_energy: not a number: "abc"',
      'item 3, column red_energy: negative energy: -3',
      'item 4, column employee_id: duplicate employee_id, first used on item 1',
      'item 4: all four energies are zero',
      'item 5, column employee_id: empty employee_id',
      'item 6, column yellow_energy: missing energy',
      'item 7: expected an object, found a string',
      'item 8: expected an object, found null',
      'item 9: expected an object, found an array',
    ]);
  });

  it('skips invalid items on request', () => {
    const set = parseProfilesJson([person('E1', 1, 1, 1, 1), 42, person('E3', null, 1, 1, 1)], { skipInvalid: true });
    expect(set.ids).to.deep.equal(['E1']);
    expect(set.skipped).to.deep.equal([
      { line: 2, reasons: ['expected an object, found a number'] },
      { line: 3, employee_id: 'E3', reasons: ['column red_energy: empty energy'] },
    ]);
  });

  it('rejects a value that is not an array, and an empty array', () => {
    expect(messages(invalid(() => parseProfilesJson({ employee_id: 'E1' })))).to.deep.equal([
      'expected a JSON array of profile objects (or {"employees": […]}), found an object',
    ]);
    expect(messages(invalid(() => parseProfilesJson({ employees: 'E1' })))).to.deep.equal([
      'expected a JSON array of profile objects (or {"employees": […]}), found a string',
    ]);
    expect(messages(invalid(() => parseProfilesJson([])))).to.deep.equal(['no data rows: expected at least one profile']);
  });

  it('reads the API\'s shape, {"employees": […]}, as the array itself', () => {
    const people = [person('E1', 10, 20, 30, 40), person('E2', 1, 1, 1, 1)];
    const wrapped = parseProfilesJson({ employees: people, method: 'kmeans' });
    const bare = parseProfilesJson(people);
    expect(wrapped.ids).to.deep.equal(bare.ids);
    expect(Array.from(wrapped.energies)).to.deep.equal(Array.from(bare.energies));
  });
});

describe('parseProfilesJsonText', () => {
  it('parses JSON text with a BOM', () => {
    const set = parseProfilesJsonText(`\uFEFF${JSON.stringify([person('E1', 1, 2, 3, 4)])}`);
    expect(Array.from(set.energies)).to.deep.equal([10, 20, 30, 40]);
  });

  it('reports a syntax error with its line and column, without quoting the input', () => {
    const text = '[\n  {"employee_id": "secret-1"}\n  {"employee_id": "E2"}\n]';
    const error = invalid(() => parseProfilesJsonText(text));
    expect(error.problems).to.have.length(1);
    expect(error.problems[0]!.line).to.equal(3);
    expect(error.message).to.match(/^invalid input \(1 problem\):\n {2}line 3: not valid JSON: .+ \(column 3\)$/);
    const quoting = invalid(() => parseProfilesJsonText('[{"employee_id": secret}]'));
    expect(quoting.message).to.match(/not valid JSON: /);
    expect(quoting.message).not.to.contain('secret');
    const long = `["${'a'.repeat(40)}", secret, "${'b'.repeat(40)}"]`;
    expect(invalid(() => parseProfilesJsonText(long)).message).to.equal("invalid input (1 problem):\n  not valid JSON: Unexpected token 's'");
  });

  it('rejects empty text', () => {
    expect(messages(invalid(() => parseProfilesJsonText('  \n')))).to.deep.equal(['empty input: expected a JSON array of profile objects']);
  });
});

describe('parseProfilesJson on hostile values', () => {
  it('refuses metadata nested deeper than the limit as a problem of that item, without overflowing the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const items = [
      { employee_id: 'E1', red_energy: 1, blue_energy: 1, green_energy: 1, yellow_energy: 1, extra: deep },
      { employee_id: 'E2', red_energy: 1, blue_energy: 1, green_energy: 1, yellow_energy: 1, extra: { a: [1, { b: 2 }] } },
    ];
    const error = invalid(() => parseProfilesJson(items));
    expect(error.problems).to.deep.equal([{ line: 1, unit: 'item', column: 'extra', reason: 'nested more than 64 levels deep' }]);
    expect(parseProfilesJson(items, { skipInvalid: true }).metadata).to.deep.equal({ extra: ['{"a":[1,{"b":2}]}'] });
  });

  it('refuses a NUL in an employee_id or a metadata value, naming item and column', () => {
    const items = [
      { employee_id: 'E\u00001', red_energy: 1, blue_energy: 1, green_energy: 1, yellow_energy: 1 },
      { employee_id: 'E2', red_energy: 1, blue_energy: 1, green_energy: 1, yellow_energy: 1, site: 'a\u0000b' },
    ];
    expect(invalid(() => parseProfilesJson(items)).problems).to.deep.equal([
      { line: 1, unit: 'item', column: 'employee_id', reason: 'contains a character that cannot be stored (U+0000)' },
      { line: 2, unit: 'item', column: 'site', reason: 'contains a character that cannot be stored (U+0000)' },
    ]);
  });
});
