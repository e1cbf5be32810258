import type { Command } from 'commander';
import { formTeams, TEAM_LIMITS, type ClusteringResult, type TeamFormationResult, type TeamOptionsInput } from '@insights/core';
import type { ReportOptions } from '@insights/report';
import { commandTimings } from '../command-timings.js';
import { UsageError } from '../errors.js';
import { csvField } from '../format/csv.js';
import { checkReportFlags, formatHtml, reportOptionsFrom } from '../format/html.js';
import { formatJson } from '../format/json.js';
import { formatTeamsTable } from '../format/teams-table.js';
import { addClusteringOptions, clusteringOptionsFrom, loadProfiles, progressReporter, runClustering, type ClusterFlags, type OutputFormat } from './cluster.js';

/** What `insights teams --format json` prints: the clustering, plus the teams. */
export type TeamsOutput = ClusteringResult & TeamFormationResult;

/** Flags of the commands that form teams. */
export interface TeamsFlags extends ClusterFlags {
  teams?: string;
  teamSize?: string;
  spreadBy?: string;
  keepApart: string[];
  keepTogether: string[];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Turns the team flags into core team options, reporting every problem at once. */
export function teamOptionsFrom(flags: TeamsFlags, seed: number): TeamOptionsInput {
  const problems: string[] = [];
  const options: TeamOptionsInput = { seed };
  if ((flags.teams === undefined) === (flags.teamSize === undefined)) problems.push('give either --teams N or --team-size MIN-MAX');
  if (flags.teams !== undefined) {
    if (/^\d+$/.test(flags.teams) && Number(flags.teams) >= TEAM_LIMITS.teams.min) options.teams = Number(flags.teams);
    else problems.push(`--teams: expected a whole number of at least ${TEAM_LIMITS.teams.min}, got "${flags.teams}"`);
  }
  if (flags.teamSize !== undefined) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(flags.teamSize.trim());
    const min = match ? Number(match[1]) : NaN;
    const max = match ? Number(match[2] ?? match[1]) : NaN;
    const least = TEAM_LIMITS.teamSize.min;
    if (!match || min < least || max < min) problems.push(`--team-size: expected MIN-MAX with ${least} ≤ MIN ≤ MAX (or one size), got "${flags.teamSize}"`);
    else options.teamSize = [min, max];
  }
  const split = (value: string) =>
    value
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
  flags.keepApart.forEach((value, i) => {
    const ids = split(value);
    if (ids.length !== 2) problems.push(`--keep-apart #${i + 1}: expected two employee_ids separated by a comma`);
  });
  flags.keepTogether.forEach((value, i) => {
    if (split(value).length < 2) problems.push(`--keep-together #${i + 1}: expected at least two employee_ids separated by commas`);
  });
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  options.keepApart = flags.keepApart.map((value) => split(value) as [string, string]);
  options.keepTogether = flags.keepTogether.map(split);
  if (flags.spreadBy !== undefined) options.spreadBy = flags.spreadBy;
  return options;
}

/** Assignments with each person's team: `employee_id,cluster,team`. */
function formatTeamsCsv(output: TeamsOutput): string {
  const teamOf = new Map<string, number>();
  for (const team of output.teams) for (const id of team.members) teamOf.set(id, team.id);
  const lines = ['employee_id,cluster,team'];
  for (const a of output.assignments) lines.push(`${csvField(a.employee_id)},${a.cluster},${teamOf.get(a.employee_id)}`);
  return `${lines.join('\n')}\n`;
}

/** Renders a team-formation result in the chosen format; `report` carries the HTML report's options. */
export function renderTeams(output: TeamsOutput, format: OutputFormat, report: ReportOptions = {}): string {
  if (format === 'html') return formatHtml(output, report);
  if (format === 'csv') return formatTeamsCsv(output);
  if (format === 'table') return formatTeamsTable(output);
  return formatJson(output, process.stdout.isTTY === true);
}

/** Adds the team-formation options to a command. */
export function addTeamOptions(command: Command): Command {
  return command
    .option('--teams <n>', 'number of teams (sizes then differ by at most one)')
    .option('--team-size <min-max>', 'smallest and largest team size, e.g. 5-7 (the fewest teams that fit)')
    .option('--spread-by <column>', 'a column (department, site…) whose values are spread evenly across teams')
    .option('--keep-apart <a,b>', 'two employee_ids that must not share a team (repeatable)', collect, [])
    .option('--keep-together <a,b,…>', 'employee_ids that must share a team (repeatable)', collect, []);
}

/** `insights teams FILE|-`: clusters in-process, then forms balanced teams. */
export function registerTeamsCommand(program: Command): void {
  addTeamOptions(
    addClusteringOptions(
      program
        .command('teams')
        .description('cluster the profiles of a file in this process, then split everyone into balanced teams')
        .argument('<file>', 'CSV or JSON file of profiles, or - for standard input'),
    ),
  ).action(async (file: string, flags: TeamsFlags) => {
    const { options, threads } = clusteringOptionsFrom(flags);
    const teamOptions = teamOptionsFrom(flags, options.seed as number);
    checkReportFlags(flags);
    const { profiles, timings } = await loadProfiles(file, flags.skipInvalid ?? false);
    const clustering = await runClustering(profiles, options, threads, progressReporter(flags.format));
    const started = performance.now();
    const teams = formTeams(
      profiles,
      Int32Array.from(clustering.assignments, (a) => a.cluster),
      teamOptions,
    );
    const teamsMs = performance.now() - started;
    const output: TeamsOutput = {
      ...clustering,
      ...teams,
      timings_ms: commandTimings(timings, clustering.timings_ms, { teams: teamsMs }),
    };
    process.stdout.write(renderTeams(output, flags.format, reportOptionsFrom(flags, profiles)));
  });
}
