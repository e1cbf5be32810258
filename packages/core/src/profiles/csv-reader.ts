import { InvalidInputError, type InputProblem } from '../errors.js';
import { ProfileSetBuilder, problemCap } from './build-profile-set.js';
import { CsvScanner, DEFAULT_MAX_RECORD_LENGTH, type ScannedRecord } from './csv-scanner.js';
import { detectDelimiter } from './detect-delimiter.js';
import { ENERGY_COLUMNS, ID_COLUMN, type ParseOptions, type ProfileSet } from './types.js';

const REQUIRED_COLUMNS: readonly string[] = [ID_COLUMN, ...ENERGY_COLUMNS];
const EMPTY_INPUT = `empty input: expected a header row with ${REQUIRED_COLUMNS.join(',')}`;

/** Options of {@link CsvProfileReader}. */
export interface CsvReaderOptions extends ParseOptions {
  /** Longest record accepted, in characters (default 1 MiB); a longer one is refused where it starts. */
  maxRecordLength?: number;
}

/** Where each header column goes: required ones by canonical name, the rest as metadata. */
interface HeaderMap {
  keys: string[];
  metadata: string[];
  /** False when a key is `__proto__`, which only an object without a prototype can hold as data. */
  safeKeys: boolean;
}

/**
 * Reads Insights profiles from CSV text handed over in chunks, holding only the rows it keeps:
 * blank lines are counted and dropped as they are read, a record is refused once it is longer than
 * `maxRecordLength`, and reading stops with `TooManyRowsError` at the first data row past
 * `maxRows`, so memory is bounded by those limits and not by the input.
 *
 * Accepts a UTF-8 BOM, CRLF, LF or CR line ends, quoted fields (with delimiters, quotes and line
 * breaks inside), and a comma, semicolon or tab delimiter, detected from the header. In
 * semicolon-separated files energies may use a decimal comma (`12,5`). Header names are matched
 * after trimming and lower-casing, in any order; other columns are carried as metadata under
 * their header text. Problems are located by the physical line where the record starts (header =
 * line 1), as an editor shows it.
 *
 * A missing or duplicate column, and malformed quoting, are fatal even with `skipInvalid`; a row
 * with the wrong number of fields is a problem of that row.
 */
export class CsvProfileReader {
  /** Text before the delimiter is known: from the first line that is not blank, up to its end. */
  private head = '';
  /** Blank lines dropped before the header. */
  private leadingLines = 0;
  private started = false;
  private scanner: CsvScanner | undefined;
  private header: { map: HeaderMap; width: number } | undefined;
  private builder: ProfileSetBuilder | undefined;
  private delimiter = ',';
  private readonly maxRecordLength: number;

  constructor(private readonly options: CsvReaderOptions = {}) {
    this.maxRecordLength = options.maxRecordLength ?? DEFAULT_MAX_RECORD_LENGTH;
  }

  /**
   * Reads the next chunk.
   *
   * @throws {InvalidInputError} for a bad header or broken quoting (fatal problems)
   * @throws {TooManyRowsError} past `maxRows`
   */
  push(chunk: string): void {
    if (this.scanner !== undefined) {
      this.scanner.push(chunk);
      return;
    }
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    this.head += chunk;
    this.dropLeadingBlankLines(false);
    if (hasCompleteLine(this.head)) this.startScanning();
    else if (this.head.length > this.maxRecordLength) {
      throw new InvalidInputError([
        { line: this.leadingLines + 1, unit: 'line', reason: `record longer than ${this.maxRecordLength} characters (a quote may be missing)` },
      ]);
    }
  }

  /**
   * Ends the input and returns the profiles read.
   *
   * @throws {InvalidInputError} listing every problem found (capped by `maxProblems`)
   */
  end(): ProfileSet {
    if (this.scanner === undefined) {
      this.dropLeadingBlankLines(true);
      if (this.head.trim() === '') throw new InvalidInputError([{ reason: EMPTY_INPUT }]);
      this.startScanning();
    }
    this.scanner!.end();
    if (this.builder === undefined) throw new InvalidInputError([{ reason: EMPTY_INPUT }]);
    return this.builder.finish();
  }

  /** Drops whole lines of spaces (and BOMs) before the header, counting them; a CR at the very end may be half a CRLF. */
  private dropLeadingBlankLines(atEnd: boolean): void {
    const head = this.head;
    let at = 0;
    for (;;) {
      let i = at;
      while (i < head.length && (head.charCodeAt(i) === 0x20 || head.charCodeAt(i) === 0xfeff)) i++;
      const c = head.charCodeAt(i);
      if (c === 0x0a) at = i + 1;
      else if (c === 0x0d && i + 1 < head.length) at = i + (head.charCodeAt(i + 1) === 0x0a ? 2 : 1);
      else if (c === 0x0d && atEnd) at = i + 1;
      else break;
      this.leadingLines++;
    }
    if (at > 0) this.head = head.slice(at);
  }

  private startScanning(): void {
    const delimiter = detectDelimiter(this.head);
    this.delimiter = delimiter;
    this.scanner = new CsvScanner(delimiter.charCodeAt(0), (record) => this.onRecord(record), this.leadingLines + 1, this.maxRecordLength);
    const head = this.head;
    this.head = '';
    this.scanner.push(head);
  }

  private onRecord(record: ScannedRecord): void {
    if (this.header === undefined) {
      const map = mapHeader(record, problemCap(this.options.maxProblems));
      this.header = { map, width: record.fields.length };
      this.builder = new ProfileSetBuilder(map.metadata, { ...this.options, unit: 'line', decimalComma: this.delimiter === ';' });
      return;
    }
    const { map, width } = this.header;
    const { line, fields } = record;
    if (fields.length !== width) {
      this.builder!.add({ line, values: {}, problems: [{ reason: `expected ${width} fields, found ${fields.length}` }] });
      return;
    }
    const values: Record<string, unknown> = map.safeKeys ? {} : Object.create(null);
    for (let c = 0; c < width; c++) values[map.keys[c]!] = fields[c];
    this.builder!.add({ line, values });
  }
}

/** Whether the text holds a line break outside quotes after something other than spaces: the header line is all there. */
function hasCompleteLine(text: string): boolean {
  let inQuotes = false;
  let content = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      inQuotes = !inQuotes;
      content = true;
    } else if (!inQuotes && (c === 0x0a || c === 0x0d)) {
      // A CR at the very end may be half a CRLF; the header needs no more than what is before it.
      if (content) return true;
    } else if (c !== 0x20 && c !== 0xfeff) content = true;
  }
  return false;
}

/**
 * Header names HR exports use for the required columns, after {@link normaliseHeader}: Insights'
 * own colour names and the bare colours, and the usual spellings of an employee id.
 */
const COLUMN_ALIASES: ReadonlyMap<string, string> = new Map([
  ...['employee id', 'employeeid', 'emp id', 'person id', 'staff id'].map((alias) => [alias, ID_COLUMN] as const),
  ...(
    [
      ['red', 'fiery red'],
      ['blue', 'cool blue'],
      ['green', 'earth green'],
      ['yellow', 'sunshine yellow'],
    ] as const
  ).flatMap(([colour, insights]) => [colour, `${colour} energy`, insights, `${insights} energy`].map((alias) => [alias, `${colour}_energy`] as const)),
]);

/** A header cell compared loosely: lower case, with runs of spaces, underscores and hyphens as one space. */
function normaliseHeader(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
}

/** The required column a header cell names, by its own name or an alias, if any. */
function requiredColumnOf(raw: string): string | undefined {
  const name = raw.trim().toLowerCase();
  if (REQUIRED_COLUMNS.includes(name)) return name;
  return COLUMN_ALIASES.get(normaliseHeader(raw));
}

/** How many found columns a "missing column" report lists. */
const FOUND_COLUMNS_SHOWN = 20;

/**
 * Maps header cells to value keys, throwing on missing, duplicate or unnamed columns. A required
 * column is recognised by its name or a common alias (`Employee ID`, `Red`, `Fiery Red` …); when
 * one is missing, the columns found are listed beside what was expected.
 */
function mapHeader(header: ScannedRecord, cap: number): HeaderMap {
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
    const required = requiredColumnOf(raw);
    const position = index + 1;
    const first = firstPosition.get(required ?? name);
    if (name === '') report(`column ${position} has no name`);
    else if (first !== undefined) report(`duplicate column (columns ${first} and ${position})`, raw.trim());
    else firstPosition.set(required ?? name, position);
    keys.push(required ?? raw);
    if (required === undefined) metadata.push(raw);
  });
  const missing = REQUIRED_COLUMNS.filter((name) => !firstPosition.has(name));
  for (const name of missing) report('missing column', name);
  if (missing.length > 0) {
    const found = header.fields.map((raw) => raw.trim()).filter((raw) => raw !== '');
    const shown = found.slice(0, FOUND_COLUMNS_SHOWN).join(', ') + (found.length > FOUND_COLUMNS_SHOWN ? `, … (${found.length} in all)` : '');
    report(
      `columns found: ${shown || 'none'}; each of ${REQUIRED_COLUMNS.join(', ')} is needed, by that name or as Employee ID, Red/Fiery Red, Blue/Cool Blue, Green/Earth Green, Yellow/Sunshine Yellow`,
    );
  }
  if (problems.length > 0) throw new InvalidInputError(problems.slice(0, cap), problems.length);
  return { keys, metadata, safeKeys: !keys.includes('__proto__') };
}
