import { CsvError, parse, type Options } from 'csv-parse/sync';
import { InvalidInputError, type InputProblem } from '../errors.js';
import { buildProfileSet, problemCap, type RawRow } from './build-profile-set.js';
import { detectDelimiter } from './detect-delimiter.js';
import { ENERGY_COLUMNS, ID_COLUMN, type ParseOptions, type ProfileSet } from './types.js';

const REQUIRED_COLUMNS: readonly string[] = [ID_COLUMN, ...ENERGY_COLUMNS];
const EMPTY_INPUT = `empty input: expected a header row with ${REQUIRED_COLUMNS.join(',')}`;

/** A parsed record with the physical line it starts on. */
interface LocatedRecord {
  line: number;
  fields: string[];
}

/** Where each header column goes: required ones by canonical name, the rest as metadata. */
interface HeaderMap {
  keys: string[];
  metadata: string[];
  /** False when a key is `__proto__`, which only an object without a prototype can hold as data. */
  safeKeys: boolean;
}

/**
 * Reads Insights profiles from CSV text.
 *
 * Accepts a UTF-8 BOM, CRLF or LF line ends, quoted fields (with delimiters, quotes and line
 * breaks inside), and a comma, semicolon or tab delimiter, detected from the header. In
 * semicolon-separated files energies may use a decimal comma (`12,5`). Header names are matched
 * after trimming and lower-casing, in any order; other columns are carried as metadata under
 * their header text. Blank lines are ignored. Problems are located by the physical line where the
 * record starts (header = line 1), as an editor shows it.
 *
 * A missing or duplicate column, and malformed quoting, are fatal even with `skipInvalid`; a row
 * with the wrong number of fields is a problem of that row.
 *
 * @throws {InvalidInputError} listing every problem found (capped by `maxProblems`)
 */
export function parseProfilesCsv(text: string, options: ParseOptions = {}): ProfileSet {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new InvalidInputError([{ reason: EMPTY_INPUT }]);
  const delimiter = detectDelimiter(body);
  const records = readRecords(body, delimiter);

  let at = 0;
  while (at < records.length && isBlank(records[at]!.fields)) at++;
  const header = records[at];
  if (header === undefined) throw new InvalidInputError([{ reason: EMPTY_INPUT }]);
  const columns = mapHeader(header, problemCap(options.maxProblems));

  const width = header.fields.length;
  const rows: RawRow[] = [];
  for (let r = at + 1; r < records.length; r++) {
    const { line, fields } = records[r]!;
    if (isBlank(fields)) continue;
    if (fields.length !== width) {
      rows.push({ line, values: {}, problems: [{ reason: `expected ${width} fields, found ${fields.length}` }] });
      continue;
    }
    const values: Record<string, unknown> = columns.safeKeys ? {} : Object.create(null);
    for (let c = 0; c < width; c++) values[columns.keys[c]!] = fields[c];
    rows.push({ line, values });
  }
  return buildProfileSet(rows, columns.metadata, {
    ...options,
    unit: 'line',
    decimalComma: delimiter === ';',
  });
}

/**
 * Splits the text into records, each with the physical line it starts on. Blank lines are kept
 * as records so that the count stays right. Text without any double quote is plain
 * delimiter-separated lines and is split directly, several times faster than csv-parse; anything
 * quoted goes through csv-parse.
 */
function readRecords(text: string, delimiter: string): LocatedRecord[] {
  return text.indexOf('"') < 0 ? splitPlain(text, delimiter) : parseQuoted(text, delimiter);
}

/** Splits quote-free text on CRLF, LF or CR, then on the delimiter. */
function splitPlain(text: string, delimiter: string): LocatedRecord[] {
  const records: LocatedRecord[] = [];
  const n = text.length;
  let start = 0;
  let line = 1;
  while (start < n) {
    let end = start;
    while (end < n) {
      const ch = text.charCodeAt(end);
      if (ch === 0x0a || ch === 0x0d) break;
      end++;
    }
    records.push({ line, fields: text.slice(start, end).split(delimiter) });
    line++;
    start = end + (text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a ? 2 : 1);
  }
  return records;
}

/**
 * Parses text with quotes through csv-parse. Its `info.lines` is the line a record ends on, and
 * it counts a CRLF inside a quoted field as two lines, so start lines are counted here: each
 * record advances the count by one plus the line breaks inside its fields.
 */
function parseQuoted(text: string, delimiter: string): LocatedRecord[] {
  const options = { delimiter, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true };
  let parsed: string[][];
  try {
    parsed = parse(text, options);
  } catch (error) {
    if (error instanceof CsvError) throw new InvalidInputError([locateCsvError(error, text, options)]);
    throw error;
  }
  const records: LocatedRecord[] = new Array(parsed.length);
  let line = 1;
  for (let r = 0; r < parsed.length; r++) {
    const fields = parsed[r]!;
    records[r] = { line, fields };
    line += 1 + lineBreaksIn(fields);
  }
  return records;
}

/**
 * Describes a csv-parse error at the line where the failing record starts. Only on this error
 * path is the text parsed again, counting records as they come, to find that line.
 */
function locateCsvError(error: CsvError, text: string, options: Options): InputProblem {
  let line = 1;
  try {
    parse(text, {
      ...options,
      on_record: (fields: string[]) => {
        line += 1 + lineBreaksIn(fields);
        return null;
      },
    });
  } catch {
    // The same error again; `line` now is where the failing record starts.
  }
  return { line, unit: 'line', reason: describeCsvError(error) };
}

function lineBreaksIn(fields: readonly string[]): number {
  let breaks = 0;
  for (const field of fields) {
    if (field.indexOf('\n') < 0 && field.indexOf('\r') < 0) continue;
    for (let i = 0; i < field.length; i++) {
      const ch = field.charCodeAt(i);
      if (ch === 0x0a || (ch === 0x0d && field.charCodeAt(i + 1) !== 0x0a)) breaks++;
    }
  }
  return breaks;
}

function describeCsvError(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed (missing closing ")';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote (") inside an unquoted field; quote the whole field and double inner quotes';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'unexpected text after the closing quote of a field';
    case 'CSV_MAX_RECORD_SIZE':
      return 'record too long (a quote may be missing)';
    default:
      return `cannot read CSV (${error.code})`;
  }
}

function isBlank(fields: readonly string[]): boolean {
  return fields.length === 1 && fields[0]!.trim() === '';
}

/** Maps header cells to value keys, throwing on missing, duplicate or unnamed columns. */
function mapHeader(header: LocatedRecord, cap: number): HeaderMap {
  const problems: InputProblem[] = [];
  const report = (reason: string, column?: string): void => {
    const problem: InputProblem = { line: header.line, unit: 'line', reason };
    if (column !== undefined) problem.column = column;
    problems.push(problem);
  };
  const keys: string[] = [];
  const metadata: string[] = [];
  const firstPosition = new Map<string, number>();
  header.fields.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    const position = index + 1;
    const first = firstPosition.get(name);
    if (name === '') report(`column ${position} has no name`);
    else if (first !== undefined) report(`duplicate column (columns ${first} and ${position})`, raw.trim());
    else firstPosition.set(name, position);
    const required = REQUIRED_COLUMNS.includes(name);
    keys.push(required ? name : raw);
    if (!required) metadata.push(raw);
  });
  for (const name of REQUIRED_COLUMNS) {
    if (!firstPosition.has(name)) report('missing column', name);
  }
  if (problems.length > 0) throw new InvalidInputError(problems.slice(0, cap), problems.length);
  return { keys, metadata, safeKeys: !keys.includes('__proto__') };
}
