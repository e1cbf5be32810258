import { expect } from 'chai';
import type { z } from 'zod';
import { clusterProfiles, formTeams, parseProfilesJson, type ClusteringResult, type TeamFormationResult } from '@insights/core';
import { ClusteringResultSchema, TeamFormationResultSchema } from './results.js';

/** Compiles only when A and B are assignable both ways: the schemas cannot drift from the core's types. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const clusteringSame: Same<z.output<typeof ClusteringResultSchema>, ClusteringResult> = true;
const teamsSame: Same<z.output<typeof TeamFormationResultSchema>, ClusteringResult & TeamFormationResult> = true;

const employees = Array.from({ length: 24 }, (_, i) => ({
  employee_id: `e${i}`,
  red_energy: 10 + ((i * 7) % 60),
  blue_energy: 20 + ((i * 3) % 30),
  green_energy: 15 + ((i * 11) % 40),
  yellow_energy: 25,
  site: i % 2 === 0 ? 'north' : 'south',
}));

describe('stored result schemas', () => {
  it('match the core result types both ways', () => {
    expect([clusteringSame, teamsSame]).to.deep.equal([true, true]);
  });

  it('parse what the core produces, with auto k, skipped rows and spread teams', () => {
    const profiles = parseProfilesJson([...employees, { employee_id: 'bad', red_energy: 'x' }], { skipInvalid: true });
    const clustering = clusterProfiles(profiles, { method: 'kmeans', clusters: 'auto', stabilityRuns: 2 });
    expect(clustering.skipped).to.have.length(1);
    expect(ClusteringResultSchema.parse(clustering)).to.deep.equal(clustering);
    const teams = formTeams(
      profiles,
      clustering.assignments.map((a) => a.cluster),
      { teams: 4, spreadBy: 'site' },
    );
    const result = { ...clustering, ...teams };
    expect(TeamFormationResultSchema.parse(result)).to.deep.equal(result);
  });

  it('refuse a clustering result as a team-formation one, and unknown fields', () => {
    const clustering = clusterProfiles(parseProfilesJson(employees), { method: 'kmeans', clusters: 3, stabilityRuns: 0 });
    expect(TeamFormationResultSchema.safeParse(clustering).success).to.equal(false);
    expect(ClusteringResultSchema.safeParse({ ...clustering, extra: 1 }).success).to.equal(false);
  });
});
