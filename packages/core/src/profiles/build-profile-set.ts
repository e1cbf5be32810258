import { InvalidInputError, formatProblem, type InputProblem } from '../errors.js';
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
 * readers so that both report the same problems in the same words.
 *
 * Every row is checked and every problem collected: a missing or empty `employee_id`, an
 * `employee_id` already used by an earlier row (naming that row), a missing, empty, non-numeric or
 * negative energy, and a row whose energies are all zero. Valid rows are normalised to percentages
 * summing to 100. With `skipInvalid`, rows with problems are left out and listed in `skipped`;
 * the first row to use an `employee_id` keeps it, whether or not that row is valid, so a later
 * duplicate never silently replaces it. Rows the reader already flagged never claim an id.
 *
 * @param rows - rows in input order
 * @param metadataColumns - keys of the extra columns to carry, in output order
 * @throws {InvalidInputError} when there are no rows, when any row has a problem (unless
 *   `skipInvalid`), or when no row is left after skipping; lists at most `maxProblems` problems
 *   (default {@link DEFAULT_MAX_PROBLEMS}) and counts the rest
 */
export function buildProfileSet(
  rows: readonly RawRow[],
  metadataColumns: readonly string[],
  options: BuildOptions,
): ProfileSet {
  const n = rows.length;
  if (n === 0) throw new InvalidInputError([{ reason: 'no data rows: expected at least one profile' }]);
  const { unit } = options;
  const decimalComma = options.decimalComma === true;
  const skipInvalid = options.skipInvalid === true;
  const cap = problemCap(options.maxProblems);

  const ids: string[] = [];
  let energies = new Float64Array(4 * n);
  let lines = new Int32Array(n);
  const metadata = metadataColumns.map((): string[] => []);
  const firstUse = new Map<string, number>();
  const listed: InputProblem[] = [];
  const skipped: SkippedRow[] = [];
  const found: RowProblem[] = [];
  const cells = new Float64Array(4);
  let totalProblems = 0;
  let kept = 0;

  for (const row of rows) {
    found.length = 0;
    let id: string | undefined;
    if (row.problems !== undefined && row.problems.length > 0) {
      found.push(...row.problems);
    } else {
      id = readId(row.values[ID_COLUMN], found);
      if (id !== undefined) {
        const first = firstUse.get(id);
        if (first === undefined) firstUse.set(id, row.line);
        else found.push({ column: ID_COLUMN, reason: `duplicate employee_id, first used on ${unit} ${first}` });
      }
      readEnergies(row.values, decimalComma, cells, found);
    }

    if (found.length > 0) {
      totalProblems += found.length;
      for (const problem of found) {
        if (listed.length < cap) listed.push({ line: row.line, unit, ...problem });
      }
      if (skipInvalid) {
        const entry: SkippedRow = { line: row.line, reasons: found.map((p) => formatProblem(p)) };
        if (id !== undefined) entry.employee_id = id;
        skipped.push(entry);
      }
      continue;
    }

    normalise(cells, energies, 4 * kept);
    lines[kept] = row.line;
    ids.push(id!);
    for (let c = 0; c < metadataColumns.length; c++) {
      metadata[c]!.push(metadataText(row.values, metadataColumns[c]!));
    }
    kept++;
  }

  if (totalProblems > 0 && !skipInvalid) throw new InvalidInputError(listed, totalProblems);
  if (kept === 0) {
    const noneLeft = { reason: `no valid rows: all ${n} data rows have problems` };
    throw new InvalidInputError([noneLeft, ...listed].slice(0, cap), totalProblems + 1);
  }
  if (kept < n) {
    energies = energies.slice(0, 4 * kept);
    lines = lines.slice(0, kept);
  }
  return {
    ids,
    energies,
    lines,
    lineUnit: unit,
    metadata: Object.fromEntries(metadataColumns.map((name, c) => [name, metadata[c]!])),
    skipped,
  };
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
  return id;
}

/** Reads the four energies into `cells`, recording a problem per unusable cell and for all zeros. */
function readEnergies(
  values: Record<string, unknown>,
  decimalComma: boolean,
  cells: Float64Array,
  found: RowProblem[],
): void {
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

function metadataText(values: Record<string, unknown>, key: string): string {
  if (!Object.hasOwn(values, key)) return '';
  const value = values[key];
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Names the JSON type of a value for messages (`an array`, `a string`, `null`), never its content. */
export function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}
