import { expect } from 'chai';
import { TooManyRowsError, type InvalidInputError } from '../errors.js';
import { invalidInput as invalid } from '../testing.js';
import { CsvProfileReader } from './csv-reader.js';
import { parseProfilesCsv } from './parse-csv.js';

const HEADER = 'employee_id,red_energy,blue_energy,green_energy,yellow_energy';

function readInChunks(text: string, size: number, options = {}): ReturnType<CsvProfileReader['end']> {
  const reader = new CsvProfileReader(options);
  for (let at = 0; at < text.length; at += size) reader.push(text.slice(at, at + size));
  return reader.end();
}

function messages(error: InvalidInputError): string[] {
  return error.message.split('\n  ').slice(1);
}

describe('CsvProfileReader', () => {
  it('reads the same profiles whatever the chunk boundaries, CRLF and quoted line breaks included', () => {
    const text = `\uFEFF\r\n  \r\n${HEADER},note\r\nE1,1,2,3,4,"a\r\nb"\rE2,5,6,7,8,"say ""hi"""\n\nE3,1,1,1,1,x\r\n`;
    const whole = parseProfilesCsv(text);
    expect(whole.ids).to.deep.equal(['E1', 'E2', 'E3']);
    expect(Array.from(whole.lines)).to.deep.equal([4, 6, 8]);
    expect(whole.metadata).to.deep.equal({ note: ['a\r\nb', 'say "hi"', 'x'] });
    for (let size = 1; size <= 8; size++) expect(readInChunks(text, size), `chunks of ${size}`).to.deep.equal(whole);
  });

  it('counts rows with CR-only line ends as the parser reads them, and stops past maxRows', () => {
    const rows = Array.from({ length: 5 }, (_, i) => `E${i},1,1,1,1`);
    const text = [HEADER, ...rows].join('\r');
    expect(parseProfilesCsv(text, { maxRows: 5 }).ids).to.have.length(5);
    const error = (() => {
      try {
        parseProfilesCsv(text, { maxRows: 4 });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).to.be.instanceOf(TooManyRowsError);
    expect(error).to.include({ code: 'TOO_MANY_ROWS', maxRows: 4 });
  });

  it('does not count blank lines, however many, as rows', () => {
    const blank = '\r\n'.repeat(100_000) + '  \n'.repeat(1000) + '\r'.repeat(1000);
    const set = readInChunks(`${blank}${HEADER}\n${blank}E1,1,1,1,1${blank}E2,1,1,1,1\n`, 65_536, { maxRows: 2 });
    expect(set.ids).to.deep.equal(['E1', 'E2']);
    expect(set.lines[0]).to.equal(102_000 + 2 + 102_000);
  });

  it('refuses a record longer than maxRecordLength at the line where it starts, even fed in chunks', () => {
    const text = `${HEADER},note\nE1,1,1,1,1,${'x'.repeat(5000)}\n`;
    expect(messages(invalid(() => readInChunks(text, 1000, { maxRecordLength: 4096 })))).to.deep.equal([
      'line 2: record longer than 4096 characters (a quote may be missing)',
    ]);
    const blankButHuge = `${HEADER}\n${' '.repeat(5000)}\n`;
    expect(messages(invalid(() => readInChunks(blankButHuge, 1000, { maxRecordLength: 4096 })))[0]).to.match(/^line 2: record longer/);
    expect(messages(invalid(() => readInChunks('x'.repeat(5000), 1000, { maxRecordLength: 4096 })))[0]).to.match(/^line 1: record longer/);
  });

  it('refuses NUL and other characters that cannot be stored, naming line and column but not the text', () => {
    const text = `${HEADER},note\nE\u00001,1,1,1,1,ok\nE2,1,1,1,1,bad\u0007bell\nE3,1,1,1,1,lone \uD800\nE4,1,1,1,1,"tab\tand\r\nbreaks are fine"\n`;
    const error = invalid(() => parseProfilesCsv(text));
    expect(messages(error)).to.deep.equal([
      'line 2, column employee_id: contains a character that cannot be stored (U+0000)',
      'line 3, column note: contains a character that cannot be stored (U+0007)',
      'line 4, column note: contains a character that cannot be stored (U+D800)',
    ]);
    expect(error.message).not.to.include('bell');
    const skipped = parseProfilesCsv(text, { skipInvalid: true });
    expect(skipped.ids).to.deep.equal(['E4']);
    expect(skipped.skipped[0]).not.to.have.property('employee_id');
    expect(messages(invalid(() => parseProfilesCsv(`${HEADER},n\u0000te\nE1,1,1,1,1,x\n`)))).to.deep.equal([
      'a column name contains a character that cannot be stored (U+0000)',
    ]);
  });
});
