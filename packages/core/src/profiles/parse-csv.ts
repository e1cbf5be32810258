import { CsvProfileReader, type CsvReaderOptions } from './csv-reader.js';
import type { ProfileSet } from './types.js';

/**
 * Reads Insights profiles from CSV text: {@link CsvProfileReader} given the whole text at once
 * (see there for what is accepted). Blank lines are ignored.
 *
 * @throws {InvalidInputError} listing every problem found (capped by `maxProblems`)
 * @throws {TooManyRowsError} past `maxRows`
 */
export function parseProfilesCsv(text: string, options: CsvReaderOptions = {}): ProfileSet {
  const reader = new CsvProfileReader(options);
  reader.push(text);
  return reader.end();
}
