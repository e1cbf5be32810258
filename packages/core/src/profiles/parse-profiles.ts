import { InvalidOptionsError } from '../errors.js';
import { parseProfilesCsv } from './parse-csv.js';
import { parseProfilesJsonText } from './parse-json.js';
import type { ParseOptions, ProfileSet } from './types.js';

/** Input formats {@link parseProfiles} reads; `auto` decides from the first character. */
type ProfileFormat = 'csv' | 'json' | 'auto';

/** Options of {@link parseProfiles}. */
export interface ParseProfilesOptions extends ParseOptions {
  /** Input format (default `auto`: JSON when the text starts with `[` or `{`, else CSV). */
  format?: ProfileFormat;
}

const FORMATS: readonly string[] = ['csv', 'json', 'auto'];

/**
 * Reads Insights profiles from CSV or JSON text. With `format: 'auto'` (the default) the text is
 * JSON when its first character other than a BOM or whitespace is `[` or `{` (no CSV header can
 * start that way), and CSV otherwise.
 *
 * @throws {InvalidInputError} listing every problem in the input (capped by `maxProblems`)
 * @throws {InvalidOptionsError} for an unknown `format`
 */
export function parseProfiles(text: string, options: ParseProfilesOptions = {}): ProfileSet {
  const { format = 'auto', ...readerOptions } = options;
  if (!FORMATS.includes(format)) {
    throw new InvalidOptionsError([`format: expected csv, json or auto, got ${JSON.stringify(format)}`]);
  }
  const json = format === 'json' || (format === 'auto' && startsLikeJson(text));
  return json ? parseProfilesJsonText(text, readerOptions) : parseProfilesCsv(text, readerOptions);
}

function startsLikeJson(text: string): boolean {
  const first = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .charAt(0);
  return first === '[' || first === '{';
}
