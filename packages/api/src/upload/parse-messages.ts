import { InvalidInputError, TooManyRowsError, type InputProblem, type ProfileSet } from '@insights/core';

/** What the parse thread is given when it starts. */
export interface ParseThreadData {
  skipInvalid: boolean;
  maxRows: number;
}

/** Main thread → parse thread: a chunk of the body, or its end. */
export type ToParseThread = { chunk: Uint8Array } | { end: true };

/** A failure as it crosses the thread boundary: the coded errors rebuilt on the other side, anything else as text. */
export type ParseFailure =
  { kind: 'invalid'; problems: InputProblem[]; total: number } | { kind: 'rows'; maxRows: number } | { kind: 'other'; message: string };

/** Parse thread → main thread: a chunk read, the profiles, or why not. */
export type FromParseThread = { read: true } | { profiles: ProfileSet } | { failure: ParseFailure };

/** A thrown reader error, ready to be posted. */
export function failureOf(error: unknown): ParseFailure {
  if (error instanceof InvalidInputError) return { kind: 'invalid', problems: [...error.problems], total: error.totalProblems };
  if (error instanceof TooManyRowsError) return { kind: 'rows', maxRows: error.maxRows };
  return { kind: 'other', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

/** The error a posted failure stands for. */
export function errorOf(failure: ParseFailure): Error {
  if (failure.kind === 'invalid') return new InvalidInputError(failure.problems, failure.total);
  if (failure.kind === 'rows') return new TooManyRowsError(failure.maxRows);
  return new Error(`the CSV parse thread failed: ${failure.message}`);
}
