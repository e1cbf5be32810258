/** The four Insights colour energies, in the order used by every array in the core. */
export const ENERGIES = ['red', 'blue', 'green', 'yellow'] as const;
export type Energy = (typeof ENERGIES)[number];

/** Input column name of each energy. */
export const ENERGY_COLUMNS = ['red_energy', 'blue_energy', 'green_energy', 'yellow_energy'] as const;
/** Input column holding the person's identifier. */
export const ID_COLUMN = 'employee_id';

/**
 * A validated data set, stored column-wise so that 100,000 people fit in a few typed arrays.
 * Row `i` is person `ids[i]`, with energies `energies[4*i .. 4*i+3]` (red, blue, green, yellow)
 * as percentages summing to 100.
 */
export interface ProfileSet {
  readonly ids: readonly string[];
  /** Normalised energies, 4 per person, in ENERGIES order, each row summing to 100. */
  readonly energies: Float64Array;
  /** Source line (CSV, header = line 1) or item number (JSON, 1-based) of each person. */
  readonly lines: Int32Array;
  /** Whether `lines` counts CSV lines or JSON items. */
  readonly lineUnit: 'line' | 'item';
  /** Extra input columns, by name, one string per person (empty string when absent). Never logged. */
  readonly metadata: Readonly<Record<string, readonly string[]>>;
  /** Rows dropped because `skipInvalid` was asked for, with every reason. */
  readonly skipped: readonly SkippedRow[];
}

/** A row left out on request (`skipInvalid`), with why. */
export interface SkippedRow {
  line: number;
  /** The row's employee_id when it had one. */
  employee_id?: string;
  reasons: string[];
}

/** Options shared by the CSV and JSON readers. */
export interface ParseOptions {
  /** Drop invalid rows and list them in `skipped` instead of failing (default false). */
  skipInvalid?: boolean;
  /** How many problems an error lists before summarising the rest (default 20). */
  maxProblems?: number;
  /**
   * Most data rows (valid or not, blank lines aside) the reader accepts; one more and it stops
   * with a `TooManyRowsError`, so memory is bounded by this rather than by the input (default
   * no limit).
   */
  maxRows?: number;
}
