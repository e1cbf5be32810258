import { expect } from 'chai';
import fc from 'fast-check';
import { InvalidInputError, TooManyRowsError } from '../errors.js';
import { CsvProfileReader } from './csv-reader.js';
import { parseProfilesCsv } from './parse-csv.js';
import { parseProfilesJson, parseProfilesJsonText } from './parse-json.js';
import type { ProfileSet } from './types.js';

const HEADER = ['employee_id', 'red_energy', 'blue_energy', 'green_energy', 'yellow_energy', 'note'];

/** Runs `read`; returns its result or the coded input error, and fails on anything else. */
function outcome(read: () => ProfileSet): ProfileSet | InvalidInputError | TooManyRowsError {
  try {
    return read();
  } catch (error) {
    if (error instanceof InvalidInputError || error instanceof TooManyRowsError) return error;
    throw error;
  }
}

/** Text with what breaks readers: quotes, delimiters, every line end, NUL and other controls, BOMs, surrogates. */
const nasty = fc.stringOf(
  fc.oneof(fc.constantFrom('"', ',', ';', '\t', '\n', '\r', '\r\n', '\u0000', '\u0007', '\uFEFF', '\uD800', ' ', '{', '[', '1', 'a', 'é'), fc.fullUnicode()),
  { maxLength: 200 },
);

/** A CSV field quoted when it must be (or at random), quotes doubled. */
function field(text: string, delimiter: string, quote: boolean): string {
  return quote || /["\r\n]/.test(text) || text.includes(delimiter) ? `"${text.replaceAll('"', '""')}"` : text;
}

const row = fc.record({
  id: fc.stringOf(fc.constantFrom('a', 'b', 'Z', '9', '-', '=', ' ', '"', ',', ';', '\n', '\u0000', 'é'), { minLength: 0, maxLength: 8 }),
  energies: fc.array(fc.oneof(fc.nat(1000), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(-1)), { minLength: 4, maxLength: 4 }),
  note: fc.string({ maxLength: 12 }),
  quote: fc.boolean(),
});

describe('profile readers (property-based)', () => {
  it('never throw anything but the coded input errors, whatever the text', () => {
    fc.assert(
      fc.property(nasty, fc.boolean(), (text, skipInvalid) => {
        outcome(() => parseProfilesCsv(text, { skipInvalid, maxRows: 50, maxRecordLength: 100 }));
        outcome(() => parseProfilesJsonText(text, { skipInvalid }));
      }),
      { numRuns: 300 },
    );
  });

  it('read the same CSV whatever the chunk boundaries', () => {
    fc.assert(
      fc.property(nasty, fc.array(fc.nat(40), { maxLength: 10 }), (text, cuts) => {
        const whole = outcome(() => parseProfilesCsv(text));
        const reader = new CsvProfileReader();
        const chunked = outcome(() => {
          let at = 0;
          for (const cut of cuts) {
            reader.push(text.slice(at, at + cut));
            at += cut;
          }
          reader.push(text.slice(at));
          return reader.end();
        });
        expect(chunked).to.deep.equal(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('agree between CSV (any delimiter, line end and quoting) and JSON on the same rows', () => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 12 }),
        fc.constantFrom(',', ';', '\t'),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
        (rows, delimiter, eol, skipInvalid) => {
          // Energies are written with a dot: a semicolon file would read 1,5 as a decimal comma, and JSON has no such thing.
          const number = (n: number) => String(n);
          const lines = [
            HEADER.join(delimiter),
            ...rows.map((r) => [field(r.id, delimiter, r.quote), ...r.energies.map(number), field(r.note, delimiter, r.quote)].join(delimiter)),
          ];
          const csv = outcome(() => parseProfilesCsv(lines.join(eol) + eol, { skipInvalid }));
          const items = rows.map((r) => ({
            employee_id: r.id,
            red_energy: r.energies[0],
            blue_energy: r.energies[1],
            green_energy: r.energies[2],
            yellow_energy: r.energies[3],
            note: r.note,
          }));
          const json = outcome(() => parseProfilesJson(items, { skipInvalid }));
          if (csv instanceof Error || json instanceof Error) {
            expect(
              csv instanceof Error,
              `csv: ${String(csv instanceof Error ? csv.message : 'ok')}; json: ${String(json instanceof Error ? json.message : 'ok')}`,
            ).to.equal(json instanceof Error);
            return;
          }
          expect(csv.ids).to.deep.equal(json.ids);
          expect(Array.from(csv.energies)).to.deep.equal(Array.from(json.energies));
          expect(csv.metadata).to.deep.equal(json.metadata);
        },
      ),
      { numRuns: 300 },
    );
  });
});
