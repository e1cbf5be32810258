import type { ReportOptions } from './types.js';

/** The people of a data set as far as labels need them: ids and the extra input columns. */
export interface LabelSource {
  readonly ids: readonly string[];
  readonly metadata: Readonly<Record<string, readonly string[]>>;
}

/**
 * Display labels from one of the input's extra columns (`--label-column name`). Throws a
 * RangeError naming the columns there are when `column` is not one of them, so the caller can say
 * what to choose instead.
 */
export function labelsFromColumn(source: LabelSource, column: string): NonNullable<ReportOptions['labels']> {
  const values = source.metadata[column];
  if (values === undefined) {
    const columns = Object.keys(source.metadata);
    throw new RangeError(
      `no column ${JSON.stringify(column)} in the input; ${columns.length === 0 ? 'it has no columns besides the id and the energies' : `its other columns are ${columns.map((c) => JSON.stringify(c)).join(', ')}`}`,
    );
  }
  const labels = new Map<string, string>();
  source.ids.forEach((id, row) => labels.set(id, values[row] ?? ''));
  return { column, values: labels };
}
