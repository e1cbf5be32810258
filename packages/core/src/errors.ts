import { CodedError, type Fault } from '@insights/errors';

/**
 * Error catalogue of the core. Every error carries a stable `code` that callers compare with
 * (or use `instanceof`), never the message text.
 */

/** Stable error codes of the core, each documented in docs/errors.md. */
export const CoreErrorCode = {
  INVALID_INPUT: 'INVALID_INPUT',
  INVALID_OPTIONS: 'INVALID_OPTIONS',
  TOO_MANY_ROWS: 'TOO_MANY_ROWS',
  INTERNAL: 'INTERNAL',
} as const;
export type CoreErrorCode = (typeof CoreErrorCode)[keyof typeof CoreErrorCode];

/** Whose fault each code is (see @insights/errors): every surface derives its answer from it. */
export const CORE_FAULTS: Readonly<Record<CoreErrorCode, Fault>> = {
  INVALID_INPUT: 'caller',
  INVALID_OPTIONS: 'caller',
  TOO_MANY_ROWS: 'caller',
  INTERNAL: 'ours',
};

/** One thing wrong with the input, located as an editor shows it. */
export interface InputProblem {
  /** 1-based line in a CSV file (line 1 is the header), or 1-based item number in a JSON array. */
  line?: number;
  /** Whether `line` counts CSV lines or JSON array items. */
  unit?: 'line' | 'item';
  /** Column (or JSON key) the problem is in, when there is one. */
  column?: string;
  /** What is wrong, in plain words. */
  reason: string;
}

/** Formats a problem as `line N, column NAME: reason`. */
export function formatProblem(problem: InputProblem): string {
  const where: string[] = [];
  if (problem.line !== undefined) where.push(`${problem.unit ?? 'line'} ${problem.line}`);
  if (problem.column !== undefined) where.push(`column ${problem.column}`);
  return where.length > 0 ? `${where.join(', ')}: ${problem.reason}` : problem.reason;
}

/** Base class of every error the core throws on purpose. */
export class InsightsError extends CodedError<CoreErrorCode> {
  constructor(code: CoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, CORE_FAULTS[code], message, options);
  }
}

/** The data cannot be used: every problem found is listed (up to a cap, with a count of the rest). */
export class InvalidInputError extends InsightsError {
  /** The problems listed in the message (at most `cap`). */
  readonly problems: readonly InputProblem[];
  /** Total number of problems found, including those not listed. */
  readonly totalProblems: number;

  constructor(problems: readonly InputProblem[], totalProblems = problems.length) {
    const lines = problems.map(formatProblem);
    const rest = totalProblems - problems.length;
    if (rest > 0) lines.push(`… and ${rest} more problem${rest === 1 ? '' : 's'}`);
    const noun = totalProblems === 1 ? 'problem' : 'problems';
    super(CoreErrorCode.INVALID_INPUT, `invalid input (${totalProblems} ${noun}):\n  ${lines.join('\n  ')}`);
    this.problems = problems;
    this.totalProblems = totalProblems;
  }
}

/** The input holds more data rows than the reader was allowed to take (`maxRows`); reading stopped there. */
export class TooManyRowsError extends InsightsError {
  constructor(readonly maxRows: number) {
    super(CoreErrorCode.TOO_MANY_ROWS, `more than ${maxRows} data rows`);
  }
}

/** An option is out of range or inconsistent with the others. */
export class InvalidOptionsError extends InsightsError {
  /** One `option: reason` string per problem. */
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(CoreErrorCode.INVALID_OPTIONS, `invalid options:\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}
