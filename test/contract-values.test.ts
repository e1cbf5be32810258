/**
 * Every surface that takes clustering or team options (the core, the job payload, the HTTP API's
 * query and body, the CLI) accepts exactly the bounds, fills in exactly the defaults and offers
 * exactly the methods the core declares once (CLUSTERING_LIMITS, TEAM_LIMITS, METHODS); the
 * exporter's label sets are the core's lists. Each surface is probed through its own parser at
 * both ends of each bound and one step outside, so a copy of a value that drifts fails here.
 */
import { expect } from 'chai';
import { z } from 'zod';
import {
  AUTO_K,
  CLUSTERING_LIMITS,
  ClusteringOptions,
  DEFAULT_METHOD,
  METHODS,
  resolveOptions,
  TEAM_LIMITS,
  TEAM_STRATEGIES,
  TEAM_STRATEGY,
  TeamOptions,
  type IntegerBound,
} from '@insights/core';
import { ClusteringJobOptions, JobSummary, QUEUE_NAMES, TeamJobOptions } from '@insights/jobs';
import { METHODS as METHOD_LABELS, STRATEGIES as STRATEGY_LABELS } from '@insights/exporter';
import { Accepted, ClusteringBody, ClusteringQuery, JobView, TeamFormationBody, TeamFormationQuery } from '../packages/api/src/schemas.ts';
import { clusteringOptionsFrom, type ClusterFlags } from '../packages/cli/src/commands/cluster.ts';
import { registerTeamsCommand, teamOptionsFrom, type TeamsFlags } from '../packages/cli/src/commands/teams.ts';
import { bareProgram } from '../packages/cli/src/program.ts';
import { methodLabel, strategyLabel } from '../packages/exporter/src/labels.ts';

/** Whether a surface takes one value of an option. */
type Accepts = (value: number) => boolean;

const parses =
  (schema: z.ZodType, wrap: (value: number) => unknown): Accepts =>
  (value) =>
    schema.safeParse(wrap(value)).success;

/** `insights teams`, which has both the clustering and the team flags (a fresh one: commander keeps parsed values). */
function cliCommand() {
  const program = bareProgram('0.0.0');
  registerTeamsCommand(program);
  const command = program.commands.find((c) => c.name() === 'teams');
  if (!command) return expect.fail('the CLI has no teams command');
  return command;
}

/** The flags `insights teams` takes from `args`, defaults filled in (options only: the command does not run). */
function cliFlags(args: string[]): TeamsFlags {
  const command = cliCommand();
  command.parseOptions(args);
  return command.opts<TeamsFlags>();
}

/** Whether `insights cluster` takes `--flag value`. */
const cliClustering =
  (flag: string): Accepts =>
  (value) => {
    try {
      clusteringOptionsFrom(cliFlags([flag, String(value)]) as ClusterFlags);
      return true;
    } catch {
      return false;
    }
  };

/** Whether `insights teams` takes its team flags `args` (--teams and --team-size exclude each other). */
const cliTeams =
  (args: (value: number) => string[]): Accepts =>
  (value) => {
    try {
      teamOptionsFrom(cliFlags(args(value)), CLUSTERING_LIMITS.seed.default);
      return true;
    } catch {
      return false;
    }
  };

const teamBase = { teams: 1 };
const employees: unknown[] = [];

/** Each bounded option, the bound the core declares, and every surface that takes it. */
const BOUNDED: { option: string; bound: IntegerBound; surfaces: Record<string, Accepts> }[] = [
  {
    option: 'clusters',
    bound: CLUSTERING_LIMITS.clusters,
    surfaces: {
      'core ClusteringOptions': parses(ClusteringOptions, (clusters) => ({ clusters })),
      'job ClusteringJobOptions': parses(ClusteringJobOptions, (clusters) => ({ clusters })),
      'API clustering query': parses(ClusteringQuery, (clusters) => ({ clusters: String(clusters) })),
      'API clustering body': parses(ClusteringBody, (clusters) => ({ employees, clusters })),
      'API team-formation query': parses(TeamFormationQuery, (clusters) => ({ clusters: String(clusters) })),
      'API team-formation body': parses(TeamFormationBody, (clusters) => ({ employees, clusters })),
      'CLI --clusters': cliClustering('--clusters'),
    },
  },
  {
    option: 'seed',
    bound: CLUSTERING_LIMITS.seed,
    surfaces: {
      'core ClusteringOptions': parses(ClusteringOptions, (seed) => ({ seed })),
      'core TeamOptions': parses(TeamOptions, (seed) => ({ ...teamBase, seed })),
      'job ClusteringJobOptions': parses(ClusteringJobOptions, (seed) => ({ seed })),
      'job TeamJobOptions': parses(TeamJobOptions, (seed) => ({ ...teamBase, seed })),
      'API clustering query': parses(ClusteringQuery, (seed) => ({ seed: String(seed) })),
      'API clustering body': parses(ClusteringBody, (seed) => ({ employees, seed })),
      'CLI --seed': cliClustering('--seed'),
    },
  },
  {
    option: 'nInit',
    bound: CLUSTERING_LIMITS.nInit,
    surfaces: {
      'core ClusteringOptions': parses(ClusteringOptions, (nInit) => ({ nInit })),
      'job ClusteringJobOptions': parses(ClusteringJobOptions, (nInit) => ({ nInit })),
      'API clustering query': parses(ClusteringQuery, (n) => ({ n_init: String(n) })),
      'API clustering body': parses(ClusteringBody, (n) => ({ employees, n_init: n })),
    },
  },
  {
    option: 'stabilityRuns',
    bound: CLUSTERING_LIMITS.stabilityRuns,
    surfaces: {
      'core ClusteringOptions': parses(ClusteringOptions, (stabilityRuns) => ({ stabilityRuns })),
      'job ClusteringJobOptions': parses(ClusteringJobOptions, (stabilityRuns) => ({ stabilityRuns })),
      'API clustering query': parses(ClusteringQuery, (runs) => ({ stability_runs: String(runs) })),
      'API clustering body': parses(ClusteringBody, (runs) => ({ employees, stability_runs: runs })),
      'CLI --stability-runs': cliClustering('--stability-runs'),
    },
  },
  {
    option: 'teams',
    bound: TEAM_LIMITS.teams,
    surfaces: {
      'core TeamOptions': parses(TeamOptions, (teams) => ({ teams })),
      'job TeamJobOptions': parses(TeamJobOptions, (teams) => ({ teams })),
      'API team-formation query': parses(TeamFormationQuery, (teams) => ({ teams: String(teams) })),
      'API team-formation body': parses(TeamFormationBody, (teams) => ({ employees, teams })),
      'CLI --teams': cliTeams((teams) => ['--teams', String(teams)]),
    },
  },
  {
    option: 'teamSize',
    bound: TEAM_LIMITS.teamSize,
    surfaces: {
      'core TeamOptions': parses(TeamOptions, (size) => ({ teamSize: [size, size] })),
      'job TeamJobOptions': parses(TeamJobOptions, (size) => ({ teamSize: [size, size] })),
      'API team-formation query': parses(TeamFormationQuery, (size) => ({ team_size: `${size}-${size}` })),
      'API team-formation body': parses(TeamFormationBody, (size) => ({ employees, team_size: [size, size] })),
      'CLI --team-size': cliTeams((size) => ['--team-size', `${size}-${size}`]),
    },
  },
  {
    option: 'movesPerPerson',
    bound: TEAM_LIMITS.movesPerPerson,
    surfaces: {
      'core TeamOptions': parses(TeamOptions, (moves) => ({ ...teamBase, movesPerPerson: moves })),
      'job TeamJobOptions': parses(TeamJobOptions, (moves) => ({ ...teamBase, movesPerPerson: moves })),
      'API team-formation query': parses(TeamFormationQuery, (moves) => ({ teams: '1', moves_per_person: String(moves) })),
      'API team-formation body': parses(TeamFormationBody, (moves) => ({ employees, teams: 1, moves_per_person: moves })),
    },
  },
];

/** A commander option of the CLI by its long name. */
function cliOption(name: string) {
  const option = cliCommand().options.find((o) => o.long === name);
  if (!option) expect.fail(`the CLI has no ${name}`);
  return option;
}

/** The `description` of a field of an API schema, as the OpenAPI document shows it. */
function apiDescription(schema: z.ZodObject, field: string): string {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, { description?: string }> };
  return json.properties[field]?.description ?? '';
}

describe('contract values: one source, every surface', () => {
  for (const { option, bound, surfaces } of BOUNDED) {
    describe(`${option} (${bound.min}–${bound.max ?? '∞'})`, () => {
      for (const [surface, accepts] of Object.entries(surfaces)) {
        it(`${surface} takes exactly the core's bound`, () => {
          const probes: [number, boolean][] = [
            [bound.min, true],
            [bound.min - 1, false],
          ];
          if (bound.max !== undefined) probes.push([bound.max, true], [bound.max + 1, false]);
          if (bound.default !== undefined) probes.push([bound.default, true]);
          expect(probes.map(([value]) => [value, accepts(value)])).to.deep.equal(probes);
        });
      }
    });
  }

  it('the core fills in the declared defaults', () => {
    const resolved = resolveOptions();
    expect({
      method: resolved.method,
      clusters: resolved.clusters,
      seed: resolved.seed,
      nInit: resolved.nInit,
      stabilityRuns: resolved.stabilityRuns,
      silhouetteMaxRows: resolved.silhouetteMaxRows,
    }).to.deep.equal({
      method: DEFAULT_METHOD,
      clusters: CLUSTERING_LIMITS.clusters.default,
      seed: CLUSTERING_LIMITS.seed.default,
      nInit: CLUSTERING_LIMITS.nInit.default,
      stabilityRuns: CLUSTERING_LIMITS.stabilityRuns.default,
      silhouetteMaxRows: CLUSTERING_LIMITS.silhouetteMaxRows.default,
    });
    const teams = TeamOptions.parse({ teams: 2 });
    expect({ seed: teams.seed, movesPerPerson: teams.movesPerPerson }).to.deep.equal({
      seed: CLUSTERING_LIMITS.seed.default,
      movesPerPerson: TEAM_LIMITS.movesPerPerson.default,
    });
  });

  it('a job payload carries the same defaults the core would fill in, and leaves the others to it', () => {
    expect(ClusteringJobOptions.parse({})).to.deep.equal({
      method: DEFAULT_METHOD,
      clusters: CLUSTERING_LIMITS.clusters.default,
      seed: CLUSTERING_LIMITS.seed.default,
    });
    expect(TeamJobOptions.parse({ teams: 2 })).to.deep.equal({ teams: 2, seed: CLUSTERING_LIMITS.seed.default });
  });

  it('the CLI defaults its flags to the declared defaults and says so in its help', () => {
    expect(cliOption('--method').defaultValue).to.equal(DEFAULT_METHOD);
    expect(cliOption('--clusters').defaultValue).to.equal(String(CLUSTERING_LIMITS.clusters.default));
    expect(cliOption('--seed').defaultValue).to.equal(String(CLUSTERING_LIMITS.seed.default));
    expect(cliOption('--stability-runs').defaultValue).to.equal(String(CLUSTERING_LIMITS.stabilityRuns.default));
    const { clusters, seed } = CLUSTERING_LIMITS;
    expect(cliOption('--clusters').description).to.contain(`(${clusters.min}–${clusters.max}), or "auto" to choose ${AUTO_K.min}–${AUTO_K.max}`);
    expect(cliOption('--seed').description).to.contain(`(${seed.min}–${seed.max})`);
    const flags = cliFlags([]);
    expect(clusteringOptionsFrom(flags).options).to.include({
      method: DEFAULT_METHOD,
      clusters: clusters.default,
      seed: seed.default,
      stabilityRuns: CLUSTERING_LIMITS.stabilityRuns.default,
    });
  });

  it('the API documents the declared defaults (its fields stay optional: the core fills them in)', () => {
    expect(apiDescription(ClusteringQuery, 'method')).to.contain(`(default ${DEFAULT_METHOD})`);
    expect(apiDescription(ClusteringQuery, 'clusters'))
      .to.contain(`${CLUSTERING_LIMITS.clusters.min}–${CLUSTERING_LIMITS.clusters.max}`)
      .and.contain(`(default ${CLUSTERING_LIMITS.clusters.default})`);
    expect(apiDescription(ClusteringQuery, 'seed')).to.contain(`(default ${CLUSTERING_LIMITS.seed.default})`);
    expect(apiDescription(ClusteringQuery, 'n_init')).to.contain(`(default ${CLUSTERING_LIMITS.nInit.default})`);
    expect(apiDescription(ClusteringQuery, 'stability_runs')).to.contain(`(default ${CLUSTERING_LIMITS.stabilityRuns.default})`);
    expect(apiDescription(TeamFormationQuery, 'moves_per_person')).to.contain(`(default ${TEAM_LIMITS.movesPerPerson.default})`);
    expect(ClusteringQuery.parse({})).to.deep.equal({}, 'no default of its own that could differ from the core’s');
  });

  it('every surface offers exactly the core’s methods', () => {
    const methodsOf = (schema: z.ZodType, field: string) => {
      const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, { enum?: string[] }> };
      return json.properties[field]?.enum;
    };
    const offered = {
      core: methodsOf(ClusteringOptions, 'method'),
      job: methodsOf(ClusteringJobOptions, 'method'),
      'API query': methodsOf(ClusteringQuery, 'method'),
      'API body': methodsOf(ClusteringBody, 'method'),
      CLI: cliOption('--method').argChoices,
      'exporter label values': [...METHOD_LABELS],
    };
    for (const [surface, methods] of Object.entries(offered)) expect(methods, surface).to.deep.equal([...METHODS]);
    expect(METHODS.map(methodLabel)).to.deep.equal([...METHODS]);
  });

  it('the strategy workers report has a label value of its own', () => {
    expect([...STRATEGY_LABELS]).to.deep.equal([...TEAM_STRATEGIES]);
    expect(strategyLabel(TEAM_STRATEGY)).to.equal(TEAM_STRATEGY);
  });

  it('job kinds in summaries and API answers are the queue names', () => {
    const kinds = (schema: z.ZodType) =>
      (z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as { properties?: Record<string, { enum?: string[] }> }).properties?.kind?.enum;
    for (const [surface, schema] of Object.entries({ JobSummary, Accepted, JobView })) expect(kinds(schema), surface).to.deep.equal([...QUEUE_NAMES]);
  });
});
