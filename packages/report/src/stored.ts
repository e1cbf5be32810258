import type { ClusteringResult } from '@insights/core';
import { renderClusteringReport, renderTeamsReport } from './report.js';
import type { PeopleEnergies, ReportOptions, TeamsResult } from './types.js';

/** Which report to draw: the clusters alone, or the teams first (team-formation results only). */
export type ReportView = 'clustering' | 'teams';

/** A stored job result, as far as a report needs it (the store's `JobResult` has this shape). */
export interface StoredResult {
  /** The JSON the worker stored: a clustering or a team-formation result. */
  readonly result: Readonly<Record<string, unknown>>;
  /** The data set the job ran on; null when the result does not say. */
  readonly datasetId: string | null;
}

/**
 * Reads a stored data set by id, or null when it is gone (deleted, or removed by retention). The
 * caller binds it to its own storage and organisation, so this package does no I/O of its own.
 */
export type LoadDataset = (datasetId: string) => Promise<PeopleEnergies | null>;

/** Options of {@link renderStoredReport}: the report's own, plus which report of the result. */
export interface StoredReportOptions extends Omit<ReportOptions, 'people'> {
  /** Default: `teams` for a team-formation result, else `clustering`. */
  view?: ReportView;
}

/** Whether a stored result is a team formation's (it has teams), rather than a clustering's. */
export function isTeamsResult(result: Readonly<Record<string, unknown>> | ClusteringResult | TeamsResult): result is TeamsResult {
  return 'teams' in result;
}

/**
 * The people of a stored result, for the wheel: ids and energies of the job's data set, and
 * nothing else of it (metadata columns never reach a report). Undefined when the result names no
 * data set or the data set is gone; the report then draws only the cluster centres and says so.
 */
export async function peopleOfStoredResult(stored: StoredResult, load: LoadDataset): Promise<PeopleEnergies | undefined> {
  if (stored.datasetId === null) return undefined;
  const dataset = await load(stored.datasetId);
  if (dataset === null) return undefined;
  return { ids: dataset.ids, energies: dataset.energies };
}

/**
 * A clustering or team-formation result as its report: the teams report for a team formation
 * unless `view` is `clustering` (a team-formation result holds its whole clustering, so its
 * clusters can be shown alone). Throws a RangeError for `view: 'teams'` on a clustering result.
 */
export function renderReport(result: ClusteringResult | TeamsResult, options: ReportOptions = {}, view?: ReportView): string {
  const teams = isTeamsResult(result);
  if (view === 'teams' && !teams) throw new RangeError('a clustering result has no teams to report');
  return teams && view !== 'clustering' ? renderTeamsReport(result, options) : renderClusteringReport(result, options);
}

/**
 * The report of a stored result, placing each person on the wheel from the job's stored data set
 * (read through `load`). What `insights result ID --format html` prints and
 * `GET /api/v1/jobs/:id/report` answers.
 */
export async function renderStoredReport(stored: StoredResult, load: LoadDataset, options: StoredReportOptions = {}): Promise<string> {
  const { view, ...rest } = options;
  const people = await peopleOfStoredResult(stored, load);
  const result = stored.result as unknown as ClusteringResult | TeamsResult;
  return renderReport(result, people === undefined ? rest : { ...rest, people }, view);
}
