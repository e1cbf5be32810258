import { expect } from 'chai';
import type { InvalidInputError } from '../errors.js';
import { parseProfilesCsv } from './parse-csv.js';
import type { ProfileSet } from './types.js';
import { invalidInput as invalid } from '../testing.js';

const HEADER = 'employee_id,red_energy,blue_energy,green_energy,yellow_energy';

function messages(error: InvalidInputError): string[] {
  return error.message.split('\n  ').slice(1);
}

function row(set: ProfileSet, i: number): number[] {
  return Array.from(set.energies.subarray(4 * i, 4 * i + 4));
}

describe('parseProfilesCsv', () => {
  describe('reading CSV', () => {
    it('reads a comma-separated file', () => {
      const set = parseProfilesCsv(`${HEADER}\nE1,10,20,30,40\nE2,1,1,1,1\n`);
      expect(set.ids).to.deep.equal(['E1', 'E2']);
      expect(row(set, 0)).to.deep.equal([10, 20, 30, 40]);
      expect(row(set, 1)).to.deep.equal([25, 25, 25, 25]);
      expect(Array.from(set.lines)).to.deep.equal([2, 3]);
      expect(set.lineUnit).to.equal('line');
    });

    it('reads a semicolon-separated file with decimal commas', () => {
      const set = parseProfilesCsv('employee_id;red_energy;blue_energy;green_energy;yellow_energy\nE1;12,5;37,5;25;25.0\n');
      expect(row(set, 0)).to.deep.equal([12.5, 37.5, 25, 25]);
    });

    it('does not accept decimal commas in a comma-separated file', () => {
      const error = invalid(() => parseProfilesCsv(`${HEADER},note\nE1,"12,5",1,1,1,x\n`));
      expect(messages(error)).to.deep.equal(['line 2, column red_energy: not a number: "12,5"']);
    });

    it('reads a tab-separated file', () => {
      const set = parseProfilesCsv(`${HEADER.replaceAll(',', '\t')}\nE1\t1\t2\t3\t4\n`);
      expect(row(set, 0)).to.deep.equal([10, 20, 30, 40]);
    });

    it('strips a UTF-8 BOM and reads CRLF line ends', () => {
      const set = parseProfilesCsv(`\uFEFF${HEADER}\r\nE1,1,2,3,4\r\nE2,4,3,2,1\r\n`);
      expect(set.ids).to.deep.equal(['E1', 'E2']);
      expect(row(set, 1)).to.deep.equal([40, 30, 20, 10]);
    });

    it('reads mixed CRLF, LF and CR line ends', () => {
      const set = parseProfilesCsv(`${HEADER}\r\nE1,1,1,1,1\nE2,1,1,1,1\rE3,1,1,x,1\n`, { skipInvalid: true });
      expect(set.ids).to.deep.equal(['E1', 'E2']);
      expect(set.skipped).to.deep.equal([{ line: 4, employee_id: 'E3', reasons: ['column green_energy: not a number: "x"'] }]);
    });

    it('matches header names in any order, case and padding, and keeps extra columns as metadata', () => {
      const text = ' Yellow_Energy ,Team,GREEN_ENERGY,employee_id,Blue_energy,red_energy , Site \n40,North,30,E1,20,10,Oslo\n';
      const set = parseProfilesCsv(text);
      expect(set.ids).to.deep.equal(['E1']);
      expect(row(set, 0)).to.deep.equal([10, 20, 30, 40]);
      expect(set.metadata).to.deep.equal({ Team: ['North'], ' Site ': ['Oslo'] });
    });

    it('reads quoted fields with embedded delimiters, quotes and line breaks', () => {
      const text = `${HEADER},note\nE1,1,1,1,1,"a, ""b""\nc"\n"E2",2,2,"2",2,"x;y"\n`;
      const set = parseProfilesCsv(text);
      expect(set.ids).to.deep.equal(['E1', 'E2']);
      expect(set.metadata).to.deep.equal({ note: ['a, "b"\nc', 'x;y'] });
      expect(Array.from(set.lines)).to.deep.equal([2, 4]);
    });

    it('reports the line where a record starts, after multi-line fields and blank lines', () => {
      const text = [
        `${HEADER},note`,
        'E1,1,1,1,1,"one',
        'two, three"',
        'E2,1,abc,1,1,plain',
        '',
        'E3,1,1,1,1,"crlf\r\ninside"',
        '   ',
        'E4,-1,1,1,1,"lf\n\ntwice"',
        'E5,1,1,1,1,x',
        'E6,1,1,1',
      ].join('\r\n');
      const error = invalid(() => parseProfilesCsv(text));
      expect(messages(error)).to.deep.equal([
        'line 4, column blue_energy: not a number: "abc"',
        'line 9, column red_energy: negative energy: -1',
        'line 13: expected 6 fields, found 4',
      ]);
      const set = parseProfilesCsv(text, { skipInvalid: true });
      expect(Array.from(set.lines)).to.deep.equal([2, 6, 12]);
    });

    it('gives the same result with and without quoted fields', () => {
      const plain = parseProfilesCsv(`${HEADER},note\nE1,1,2,3,4,a\nE2,5,6,7,8,b\n`);
      const quoted = parseProfilesCsv(`${HEADER},note\nE1,1,2,3,4,a\n"E2",5,6,7,8,"b"\n`);
      expect(quoted).to.deep.equal(plain);
    });

    it('ignores blank lines, including before the header', () => {
      const set = parseProfilesCsv(`\n\n${HEADER}\n\nE1,1,1,1,1\n\n\nE2,1,1,1,1\n\n`);
      expect(set.ids).to.deep.equal(['E1', 'E2']);
      expect(Array.from(set.lines)).to.deep.equal([5, 8]);
    });

    it("treats a row of delimiters only (Excel's trailing ;;;;) as blank", () => {
      const semicolons = HEADER.replaceAll(',', ';');
      const set = parseProfilesCsv(`${semicolons}\r\nE1;1;1;1;1\r\n;;;;\r\nE2;1;1;1;1\r\n;;;;\r\n; ;"";;\r\n`);
      expect(set.ids).to.deep.equal(['E1', 'E2']);
      expect(Array.from(set.lines)).to.deep.equal([2, 4]);
      expect(set.skipped).to.deep.equal([]);
    });

    it('carries a column named __proto__ as ordinary metadata', () => {
      const set = parseProfilesCsv(`${HEADER},__proto__\nE1,1,1,1,1,x\n`);
      expect(Object.hasOwn(set.metadata, '__proto__')).to.equal(true);
      expect(set.metadata['__proto__']).to.deep.equal(['x']);
    });
  });

  describe('rejecting bad input', () => {
    it('names every missing column, even with skipInvalid', () => {
      const error = invalid(() => parseProfilesCsv('employee_id,blue_energy,amber\nE1,1,1\n', { skipInvalid: true }));
      expect(messages(error)).to.deep.equal([
        'line 1, column red_energy: missing column',
        'line 1, column green_energy: missing column',
        'line 1, column yellow_energy: missing column',
        'line 1: columns found: employee_id, blue_energy, amber; each of employee_id, red_energy, blue_energy, green_energy, yellow_energy is needed, by that name or as Employee ID, Red/Fiery Red, Blue/Cool Blue, Green/Earth Green, Yellow/Sunshine Yellow',
      ]);
    });

    it('recognises the headers HR exports use: Employee ID, the bare colours, Insights colour names', () => {
      const plain = parseProfilesCsv(`${HEADER}\nE1,1,2,3,4\n`);
      for (const header of [
        'Employee ID;Red;Blue;Green;Yellow',
        'employee-id;Fiery Red;Cool Blue;Earth Green;Sunshine Yellow',
        'Employee_ID;Fiery_Red_Energy;BLUE ENERGY;green;Yellow',
      ]) {
        const set = parseProfilesCsv(`${header}\nE1;1;2;3;4\n`);
        expect(set.ids, header).to.deep.equal(plain.ids);
        expect(Array.from(set.energies), header).to.deep.equal(Array.from(plain.energies));
        expect(Object.keys(set.metadata), header).to.deep.equal([]);
      }
      const twice = invalid(() => parseProfilesCsv(`${HEADER},Red\nE1,1,2,3,4,5\n`));
      expect(messages(twice)).to.deep.equal(['line 1, column Red: duplicate column (columns 2 and 6)']);
    });

    it('rejects duplicate and unnamed header columns', () => {
      const error = invalid(() => parseProfilesCsv(`${HEADER},Team, team ,,RED_ENERGY\nE1,1,1,1,1,a,b,c,1\n`));
      expect(messages(error)).to.deep.equal([
        'line 1, column team: duplicate column (columns 6 and 7)',
        'line 1: column 8 has no name',
        'line 1, column RED_ENERGY: duplicate column (columns 2 and 9)',
      ]);
    });

    it('reports empty, non-numeric and negative energies, zero rows and empty ids', () => {
      const text = `${HEADER}\nE1,,1,1,1\nE2,1,abc,1,1\nE3,1,1,-3,1\nE4,0,0,0,0\n  ,1,1,1,1\n`;
      const error = invalid(() => parseProfilesCsv(text));
      expect(error.totalProblems).to.equal(5);
      expect(messages(error)).to.deep.equal([
        'line 2, column red_energy: empty energy',
        'line 3, column blue_energy: not a number: "abc"',
        'line 4, column green_energy: negative energy: -3',
        'line 5: all four energies are zero',
        'line 6, column employee_id: empty employee_id',
      ]);
    });

    it('names both lines of a duplicate employee_id', () => {
      const error = invalid(() => parseProfilesCsv(`${HEADER}\nE1,1,1,1,1\nE2,1,1,1,1\nE1,2,2,2,2\n`));
      expect(error.message).to.equal('invalid input (1 problem):\n  line 4, column employee_id: duplicate employee_id, first used on line 2');
    });

    it('reports rows with the wrong number of fields and can skip them', () => {
      const text = `${HEADER},team\nE1,1,1,1,1,a\nE2,1,1,1,1\nE3,1,1,1,1,c,extra\nE4,1,1,1,1,d\n`;
      expect(messages(invalid(() => parseProfilesCsv(text)))).to.deep.equal(['line 3: expected 6 fields, found 5', 'line 4: expected 6 fields, found 7']);
      const set = parseProfilesCsv(text, { skipInvalid: true });
      expect(set.ids).to.deep.equal(['E1', 'E4']);
      expect(set.metadata).to.deep.equal({ team: ['a', 'd'] });
      expect(set.skipped).to.deep.equal([
        { line: 3, reasons: ['expected 6 fields, found 5'] },
        { line: 4, reasons: ['expected 6 fields, found 7'] },
      ]);
    });

    it('caps the listed problems and counts the rest', () => {
      const lines = [HEADER];
      for (let i = 0; i < 25; i++) lines.push(`E${i},1,1,1,oops`);
      const error = invalid(() => parseProfilesCsv(lines.join('\n'), { maxProblems: 3 }));
      expect(error.message).to.equal(
        [
          'invalid input (25 problems):',
          'line 2, column yellow_energy: not a number: "oops"',
          'line 3, column yellow_energy: not a number: "oops"',
          'line 4, column yellow_energy: not a number: "oops"',
          '… and 22 more problems',
        ].join('\n  '),
      );
      expect(invalid(() => parseProfilesCsv(lines.join('\n'))).problems).to.have.length(20);
    });

    it('rejects empty input and a header without data rows', () => {
      const expected = 'empty input: expected a header row with employee_id,red_energy,blue_energy,green_energy,yellow_energy';
      expect(messages(invalid(() => parseProfilesCsv('')))).to.deep.equal([expected]);
      expect(messages(invalid(() => parseProfilesCsv('\uFEFF \r\n\n')))).to.deep.equal([expected]);
      expect(messages(invalid(() => parseProfilesCsv(`${HEADER}\r\n\r\n`)))).to.deep.equal(['no data rows: expected at least one profile']);
    });

    it('fails with "no valid rows" when every row is skipped', () => {
      const error = invalid(() => parseProfilesCsv(`${HEADER}\nE1,0,0,0,0\n`, { skipInvalid: true }));
      expect(messages(error)).to.deep.equal(['no valid rows: all 1 data rows have problems', 'line 2: all four energies are zero']);
    });

    it('locates broken quoting at the line where the record starts', () => {
      const unclosed = `${HEADER},note\nE1,1,1,1,1,ok\nE2,1,1,1,1,"never closed\nE3,1,1,1,1,x\n`;
      expect(messages(invalid(() => parseProfilesCsv(unclosed, { skipInvalid: true })))).to.deep.equal([
        'line 3: a quoted field is never closed (missing closing ")',
      ]);
      const stray = `${HEADER},note\nE1,1,1,1,1,"a\nb"\nE2,1,1,1,1,say "hi"\n`;
      expect(messages(invalid(() => parseProfilesCsv(stray)))).to.deep.equal([
        'line 4: a quote (") inside an unquoted field; quote the whole field and double inner quotes',
      ]);
      const trailing = `${HEADER},note\nE1,1,1,1,1,"a"b\n`;
      expect(messages(invalid(() => parseProfilesCsv(trailing)))).to.deep.equal(['line 2: unexpected text after the closing quote of a field']);
    });
  });
});
