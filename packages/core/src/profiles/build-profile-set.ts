import { InvalidInputError, TooManyRowsError, formatProblem, type InputProblem } from '../errors.js';
import { notANumber, parseEnergy } from './parse-number.js';
import { ENERGY_COLUMNS, ID_COLUMN, type ParseOptions, type ProfileSet, type SkippedRow } from './types.js';

/** A problem a reader found in a row before its values could be checked, e.g. a wrong field count. */
type RowProblem = Pick<InputProblem, 'column' | 'reason'>;

/** One input row as a reader hands it over, before validation. */
export interface RawRow {
  /** CSV line where the record starts (header = line 1), or 1-based JSON item number. */
  line: number;
  /** Cells by column: the required ones under their canonical names, metadata under its own key. */
  values: Record<string, unknown>;
  /** Problems the reader already found; when there are any, the values are not checked further. */
  problems?: readonly RowProblem[];
}

/** Options of {@link buildProfileSet}: the caller's options plus what the reader knows. */
export interface BuildOptions extends ParseOptions {
  /** Whether row locations are CSV lines or JSON items. */
  unit: 'line' | 'item';
  /** Accept `12,5` in energy strings (semicolon-separated files; default false). */
  decimalComma?: boolean;
}

/** How many problems an error lists when the caller does not say. */
const DEFAULT_MAX_PROBLEMS = 20;

/**
 * Validates rows and turns them into a column-wise {@link ProfileSet}; shared by the CSV and JSON
 * readers so that both report the same problems in the same words. See {@link ProfileSetBuilder}
 * for the checks.
 *
 * @param rows - rows in input order
 * @param metadataColumns - keys of the extra columns to carry, in output order
 * @throws {InvalidInputError} when there are no rows, when any row has a problem (unless
 *   `skipInvalid`), or when no row is left after skipping; lists at most `maxProblems` problems
 *   (default {@link DEFAULT_MAX_PROBLEMS}) and counts the rest
 */
export function buildProfileSet(rows: readonly RawRow[], metadataColumns: readonly string[], options: BuildOptions): ProfileSet {
  const builder = new ProfileSetBuilder(metadataColumns, options);
  for (const row of rows) builder.add(row);
  return builder.finish();
}

/**
 * Builds a {@link ProfileSet} one row at a time, so that a streaming reader holds only what it
 * keeps: the valid rows (column-wise, in typed arrays that grow by doubling) and the problems
 * listed, never the input.
 *
 * Every row is checked and every problem collected: a missing or empty `employee_id`, an
 * `employee_id` already used by an earlier row (naming that row), a missing, empty, non-numeric or
 * negative energy, a row whose energies are all zero, and text that cannot be stored (a NUL or
 * other control character, an unpaired surrogate) in the id or a metadata value. Valid rows are
 * normalised to percentages summing to 100. With `skipInvalid`, rows with problems are left out
 * and listed in `skipped`; the first row to use an `employee_id` keeps it, whether or not that
 * row is valid, so a later duplicate never silently replaces it. Rows the reader already flagged
 * never claim an id.
 */
export class ProfileSetBuilder {
  private readonly unit: 'line' | 'item';
  private readonly decimalComma: boolean;
  private readonly skipInvalid: boolean;
  private readonly cap: number;
  private readonly maxRows: number;
  private readonly ids: string[] = [];
  private energies = new Float64Array(4 * 64);
  private lines = new Int32Array(64);
  private readonly metadata: string[][];
  private readonly firstUse = new Map<string, number>();
  private readonly listed: InputProblem[] = [];
  private readonly skipped: SkippedRow[] = [];
  private readonly found: RowProblem[] = [];
  private readonly cells = new Float64Array(4);
  private totalProblems = 0;
  private kept = 0;
  /** Rows added, valid or not. */
  rows = 0;

  constructor(
    private readonly metadataColumns: readonly string[],
    options: BuildOptions,
  ) {
    this.unit = options.unit;
    this.decimalComma = options.decimalComma === true;
    this.skipInvalid = options.skipInvalid === true;
    this.cap = problemCap(options.maxProblems);
    this.maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
    this.metadata = metadataColumns.map((): string[] => []);
    for (const name of metadataColumns) {
      const bad = unstorableCharacter(name);
      if (bad !== undefined) throw new InvalidInputError([{ reason: `a column name ${unstorableReason(bad)}` }]);
    }
  }

  /**
   * Checks one row and keeps it if valid.
   *
   * @throws {TooManyRowsError} when this row is one more than `maxRows`
   */
  add(row: RawRow): void {
    this.rows++;
    if (this.rows > this.maxRows) throw new TooManyRowsError(this.maxRows);
    const found = this.found;
    found.length = 0;
    let id: string | undefined;
    const metadata: string[] = [];
    if (row.problems !== undefined && row.problems.length > 0) {
      found.push(...row.problems);
    } else {
      id = readId(row.values[ID_COLUMN], found);
      if (id !== undefined) {
        const first = this.firstUse.get(id);
        if (first === undefined) this.firstUse.set(id, row.line);
        else found.push({ column: ID_COLUMN, reason: `duplicate employee_id, first used on ${this.unit} ${first}` });
      }
      readEnergies(row.values, this.decimalComma, this.cells, found);
      for (const column of this.metadataColumns) metadata.push(metadataText(row.values, column, found));
    }

    if (found.length > 0) {
      this.totalProblems += found.length;
      for (const problem of found) {
        if (this.listed.length < this.cap) this.listed.push({ line: row.line, unit: this.unit, ...problem });
      }
      if (this.skipInvalid) {
        const entry: SkippedRow = { line: row.line, reasons: found.map((p) => formatProblem(p)) };
        if (id !== undefined) entry.employee_id = id;
        this.skipped.push(entry);
      }
      return;
    }

    const at = this.kept;
    if (at === this.lines.length) this.grow();
    normalise(this.cells, this.energies, 4 * at);
    this.lines[at] = row.line;
    this.ids.push(id!);
    for (let c = 0; c < metadata.length; c++) this.metadata[c]!.push(metadata[c]!);
    this.kept++;
  }

  /**
   * The profile set of the rows added.
   *
   * @throws {InvalidInputError} when there were no rows, when any row has a problem (unless
   *   `skipInvalid`), or when no row is left after skipping
   */
  finish(): ProfileSet {
    const n = this.rows;
    const { cap, listed, totalProblems, kept } = this;
    if (n === 0) throw new InvalidInputError([{ reason: 'no data rows: expected at least one profile' }]);
    if (totalProblems > 0 && !this.skipInvalid) throw new InvalidInputError(listed, totalProblems);
    if (kept === 0) {
      const noneLeft = { reason: `no valid rows: all ${n} data rows have problems` };
      throw new InvalidInputError([noneLeft, ...listed].slice(0, cap), totalProblems + 1);
    }
    return {
      ids: this.ids,
      energies: this.energies.slice(0, 4 * kept),
      lines: this.lines.slice(0, kept),
      lineUnit: this.unit,
      metadata: Object.fromEntries(this.metadataColumns.map((name, c) => [name, this.metadata[c]!])),
      skipped: this.skipped,
    };
  }

  private grow(): void {
    const energies = new Float64Array(this.energies.length * 2);
    energies.set(this.energies);
    this.energies = energies;
    const lines = new Int32Array(this.lines.length * 2);
    lines.set(this.lines);
    this.lines = lines;
  }
}

/** How many problems an error may list: `maxProblems` rounded down and at least 0, default 20. */
export function problemCap(maxProblems: number | undefined): number {
  if (maxProblems === undefined || Number.isNaN(maxProblems)) return DEFAULT_MAX_PROBLEMS;
  return Math.max(0, Math.floor(maxProblems));
}

/** Returns the trimmed id, or undefined after recording why there is none. */
function readId(value: unknown, found: RowProblem[]): string | undefined {
  let id: string;
  if (typeof value === 'string') id = value.trim();
  else if (typeof value === 'number' && Number.isFinite(value)) id = String(value);
  else if (value === undefined) {
    found.push({ column: ID_COLUMN, reason: 'missing employee_id' });
    return undefined;
  } else if (value === null) id = '';
  else {
    found.push({ column: ID_COLUMN, reason: `expected a string, found ${describeType(value)}` });
    return undefined;
  }
  if (id === '') {
    found.push({ column: ID_COLUMN, reason: 'empty employee_id' });
    return undefined;
  }
  const bad = unstorableCharacter(id);
  if (bad !== undefined) {
    found.push({ column: ID_COLUMN, reason: unstorableReason(bad) });
    return undefined;
  }
  return id;
}

/** Reads the four energies into `cells`, recording a problem per unusable cell and for all zeros. */
function readEnergies(values: Record<string, unknown>, decimalComma: boolean, cells: Float64Array, found: RowProblem[]): void {
  const before = found.length;
  for (let e = 0; e < 4; e++) {
    const column = ENERGY_COLUMNS[e]!;
    const result = readEnergy(values[column], decimalComma);
    if (typeof result === 'string') found.push({ column, reason: result });
    else cells[e] = result;
  }
  if (found.length === before && cells[0] === 0 && cells[1] === 0 && cells[2] === 0 && cells[3] === 0) {
    found.push({ reason: 'all four energies are zero' });
  }
}

function readEnergy(value: unknown, decimalComma: boolean): number | string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return notANumber(String(value));
    return value < 0 ? `negative energy: ${value}` : value + 0;
  }
  if (typeof value === 'string') return parseEnergy(value, { decimalComma });
  if (value === undefined) return 'missing energy';
  if (value === null) return 'empty energy';
  if (typeof value === 'boolean') return notANumber(String(value));
  return `expected a number, found ${describeType(value)}`;
}

/** Writes the row as percentages of its total; rescales first if the total overflows. */
function normalise(cells: Float64Array, out: Float64Array, at: number): void {
  let sum = cells[0]! + cells[1]! + cells[2]! + cells[3]!;
  if (!Number.isFinite(sum)) {
    const max = Math.max(cells[0]!, cells[1]!, cells[2]!, cells[3]!);
    for (let e = 0; e < 4; e++) cells[e] = cells[e]! / max;
    sum = cells[0]! + cells[1]! + cells[2]! + cells[3]!;
  }
  for (let e = 0; e < 4; e++) out[at + e] = (cells[e]! / sum) * 100;
}

/** How deeply a metadata value may nest objects and arrays: enough for any real record, far from the stack's limit. */
const MAX_METADATA_DEPTH = 64;

/** The metadata value as text, or '' after recording why it cannot be carried. */
function metadataText(values: Record<string, unknown>, key: string, found: RowProblem[]): string {
  if (!Object.hasOwn(values, key)) return '';
  const value = values[key];
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === null || value === undefined) return '';
  else if (typeof value === 'object') {
    if (nestingDepth(value, MAX_METADATA_DEPTH) > MAX_METADATA_DEPTH) {
      found.push({ column: key, reason: `nested more than ${MAX_METADATA_DEPTH} levels deep` });
      return '';
    }
    text = JSON.stringify(value);
  } else text = String(value);
  const bad = unstorableCharacter(text);
  if (bad !== undefined) found.push({ column: key, reason: unstorableReason(bad) });
  return text;
}

/**
 * How deeply objects and arrays nest in a value, counted without recursion (a value nested
 * thousands deep would overflow the stack of a recursive walk, or of JSON.stringify); stops
 * counting past `limit`.
 */
function nestingDepth(value: object, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const child of Object.values(item)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * The first character in the text that PostgreSQL or a spreadsheet cannot hold, as its code
 * point: NUL (PostgreSQL text and jsonb refuse it), the other C0 controls but tab, line feed and
 * carriage return (XML 1.0, hence XLSX, cannot hold them), U+FFFE and U+FFFF (not characters),
 * and an unpaired surrogate (not valid UTF-8, silently replaced on the way to the database).
 */
export function unstorableCharacter(text: string): number | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0xd800) continue;
    if (c < 0x20) {
      if (c === 0x09 || c === 0x0a || c === 0x0d) continue;
      return c;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return c;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return c;
    if (c === 0xfffe || c === 0xffff) return c;
  }
  return undefined;
}

/** Names a character that cannot be stored by its code point, never by the text around it. */
function unstorableReason(codePoint: number): string {
  return `contains a character that cannot be stored (U+${codePoint.toString(16).toUpperCase().padStart(4, '0')})`;
}

/** Names the JSON type of a value for messages (`an array`, `a string`, `null`), never its content. */
export function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}
