import { InvalidInputError, InvalidOptionsError, planSizes, type ProfileSet, type TeamOptionsInput } from '@insights/core';
import type { Store } from '@insights/store';

/**
 * Checks of a team formation that need its data (and, for `clustering_job_id`, the store), made
 * before the job is accepted: a caller learns of a mistake from the 4xx of its request, not from a
 * job that fails after a 202. The worker still checks the same things (a job may come another way).
 */
export async function checkTeamsAtTheDoor(
  store: Store,
  organization: string,
  profiles: ProfileSet,
  teams: TeamOptionsInput,
  clusteringJobId: string | undefined,
): Promise<void> {
  // Sizes that cannot fit the people: the core's own planning, with its hint.
  planSizes(profiles.ids.length, teams.teams, teams.teamSize);
  if (teams.spreadBy !== undefined && !Object.hasOwn(profiles.metadata, teams.spreadBy)) {
    const columns = Object.keys(profiles.metadata);
    throw new InvalidInputError([
      {
        column: teams.spreadBy,
        reason: `spread_by: no such column${columns.length > 0 ? ` (the data has ${columns.join(', ')})` : ' (the data has no metadata column)'}`,
      },
    ]);
  }
  if (clusteringJobId === undefined) return;
  const stored = await store.getResult(clusteringJobId, organization);
  // Another organisation's job reads exactly like none.
  if (!stored || stored.kind !== 'clustering')
    throw new InvalidOptionsError([`clustering_job_id: no finished clustering job ${clusteringJobId} of this organisation`]);
  const clustered = new Set((stored.result.assignments as { employee_id: string }[]).map((a) => a.employee_id));
  if (clustered.size !== profiles.ids.length || profiles.ids.some((id) => !clustered.has(id))) {
    throw new InvalidOptionsError([`clustering_job_id: job ${clusteringJobId} clustered other people; give the data set it ran on`]);
  }
}
