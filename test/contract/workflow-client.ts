/**
 * The source of a small client that the contract test compiles (tsc --noEmit, strict) against the
 * types openapi-typescript generates from the served document, then runs. It is kept as text: its
 * `./api.js` exists only once the test has generated it. It reads the results through their
 * generated types (`assignments`, `teams`), so an untyped result would not compile.
 */
export const WORKFLOW_CLIENT = `
import createClient from 'openapi-fetch';
import type { components, paths } from './api.js';

type JobView = components['schemas']['JobView'];
type JobResult = components['schemas']['JobResult'];

/** What the workflow saw, for the test to check beyond the document. */
export interface WorkflowOutcome {
  clusteringId: string;
  repeatedId: string;
  teamsId: string;
  cancelled: string;
  firstAssignment: string;
  teamMembers: number;
  teamsKnowTheirClustering: boolean;
  reportStartsWith: string;
  pages: string[][];
  otherOrganisationStatus: number;
  unauthorisedStatus: number;
  deleted: string;
  afterDeleteStatus: number;
  notModifiedStatus: number;
}

/** Employees of the team formation, as JSON. */
const employees = Array.from({ length: 12 }, (_, i) => ({ employee_id: 'j' + i, red_energy: 10 + i * 5, blue_energy: 20, green_energy: 30, yellow_energy: 40, site: i % 2 ? 'north' : 'south' }));

/** Runs the documented workflow with one organisation's token, and another's. */
export async function workflow(
  baseUrl: string,
  token: string,
  otherToken: string,
  csv: string,
  fetcher: (input: Request) => Promise<Response>,
  startWorker: () => Promise<void>,
): Promise<WorkflowOutcome> {
  const client = createClient<paths>({ baseUrl, fetch: fetcher, headers: { authorization: 'Bearer ' + token } });
  const other = createClient<paths>({ baseUrl, fetch: fetcher, headers: { authorization: 'Bearer ' + otherToken } });
  const anonymous = createClient<paths>({ baseUrl, fetch: fetcher });

  // A job cancelled before any worker runs.
  const toCancel = await client.POST('/api/v1/jobs/clustering', { params: { query: { method: 'kmeans', clusters: 2 } }, body: { employees } });
  if (!toCancel.data) throw new Error('submission refused: ' + JSON.stringify(toCancel.error));
  const cancel = await client.DELETE('/api/v1/jobs/{id}', { params: { path: { id: toCancel.data.id } } });
  if (!cancel.data) throw new Error('cancel refused: ' + JSON.stringify(cancel.error));

  const csvSubmission = {
    params: { query: { method: 'kmeans' as const, clusters: 2, seed: 7, stability_runs: 0, skip_invalid: false }, header: { 'Idempotency-Key': 'contract-csv-1' } },
    body: csv,
    bodySerializer: (body: unknown) => String(body),
    headers: { 'content-type': 'text/csv' },
  };
  const clustering = await client.POST('/api/v1/jobs/clustering', csvSubmission);
  const repeated = await client.POST('/api/v1/jobs/clustering', csvSubmission);
  if (!clustering.data || !repeated.data) throw new Error('CSV submission refused');
  const teams = await client.POST('/api/v1/jobs/team-formation', { body: { employees, method: 'kmeans', clusters: 2, teams: 3, spread_by: 'site' } });
  if (!teams.data) throw new Error('team formation refused: ' + JSON.stringify(teams.error));

  await startWorker();
  const finished = async (id: string): Promise<JobView> => {
    for (;;) {
      const { data } = await client.GET('/api/v1/jobs/{id}', { params: { path: { id } } });
      if (!data) throw new Error('job ' + id + ' vanished');
      if (data.state === 'completed') return data;
      if (data.state === 'failed') throw new Error('job ' + id + ' failed: ' + data.failed_reason);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await finished(clustering.data.id);
  const teamsJob = await finished(teams.data.id);

  const clusteringResult = await client.GET('/api/v1/jobs/{id}/result', { params: { path: { id: clustering.data.id } } });
  const teamsResult = await client.GET('/api/v1/jobs/{id}/result', { params: { path: { id: teams.data.id } } });
  if (!clusteringResult.data || !teamsResult.data) throw new Error('no result');
  const etag = clusteringResult.response.headers.get('etag') ?? '';
  const revalidated = await client.GET('/api/v1/jobs/{id}/result', { params: { path: { id: clustering.data.id }, header: { 'If-None-Match': etag } } });
  const result: JobResult = clusteringResult.data;
  const firstAssignment = result.assignments[0]!.employee_id;
  const formed = teamsResult.data;
  const teamMembers = 'teams' in formed ? formed.teams.reduce((sum, team) => sum + team.members.length, 0) : -1;

  const report = await client.GET('/api/v1/jobs/{id}/report', { params: { path: { id: teams.data.id }, query: { anonymise: true } }, parseAs: 'text' });
  if (report.data === undefined) throw new Error('no report');

  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await client.GET('/api/v1/jobs', { params: { query: { limit: 1, ...(cursor === undefined ? {} : { cursor }) } } });
    if (!page.data) throw new Error('list refused');
    pages.push(page.data.items.map((item) => item.kind + ':' + item.id));
    cursor = page.data.next_cursor ?? undefined;
  } while (cursor !== undefined);

  const foreign = await other.GET('/api/v1/jobs/{id}', { params: { path: { id: clustering.data.id } } });
  const unauthorised = await anonymous.GET('/api/v1/jobs', {});
  const deleted = await client.DELETE('/api/v1/jobs/{id}', { params: { path: { id: clustering.data.id } } });
  if (!deleted.data) throw new Error('delete refused');
  const afterDelete = await client.GET('/api/v1/jobs/{id}/result', { params: { path: { id: clustering.data.id } } });

  return {
    clusteringId: clustering.data.id,
    repeatedId: repeated.data.id,
    teamsId: teams.data.id,
    cancelled: cancel.data.outcome,
    firstAssignment,
    teamMembers,
    teamsKnowTheirClustering: teamsJob.summary?.kind === 'team-formation' && teamsJob.summary.k === 2,
    reportStartsWith: report.data.slice(0, 15),
    pages,
    otherOrganisationStatus: foreign.response.status,
    unauthorisedStatus: unauthorised.response.status,
    deleted: deleted.data.outcome,
    afterDeleteStatus: afterDelete.response.status,
    notModifiedStatus: revalidated.response.status,
  };
}
`;

/** A misuse the generated types must refuse: a field no result has. */
export const MISTYPED_CLIENT = `
import type { components } from './api.js';

export function wrong(result: components['schemas']['ClusteringResult']): number {
  return result.no_such_field;
}
`;
