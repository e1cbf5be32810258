import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { ClusteringResult, TeamFormationResult } from '@insights/core';
import { runCli, type CliRun } from './helpers/run-cli.js';
import { tempFolder } from './helpers/temp-files.js';

type TeamsOutput = ClusteringResult & TeamFormationResult;

const PEOPLE = new URL('../examples/people.csv', import.meta.url).pathname;
const peopleLines = readFileSync(PEOPLE, 'utf8').trim().split('\n');
const header = peopleLines[0]!.split(',');
const rows = peopleLines.slice(1).map((line) => line.split(','));
const ids = rows.map((r) => r[header.indexOf('employee_id')]!);
const departmentOf = new Map(rows.map((r) => [r[header.indexOf('employee_id')]!, r[header.indexOf('department')]!]));

/** Clustering options that keep each run quick (the methods themselves are tested in cli-cluster). */
const QUICK = ['--method', 'kmeans', '--stability-runs', '0'];

const started = new Map<string, Promise<CliRun>>();
/** Runs `insights ARGS…` once per distinct ARGS, so runs started up front in parallel are reused. */
function cli(args: string[], input?: string): Promise<CliRun> {
  const key = JSON.stringify([args, input ?? null]);
  if (!started.has(key)) started.set(key, runCli(args, input));
  return started.get(key)!;
}

function parsed(run: CliRun): TeamsOutput {
  expect(run.status, run.stderr).to.equal(0);
  return JSON.parse(run.stdout) as TeamsOutput;
}

function withoutTimings<T extends { timings_ms: unknown }>(result: T): Omit<T, 'timings_ms'> {
  const copy: Partial<T> = { ...result };
  delete copy.timings_ms;
  return copy as Omit<T, 'timings_ms'>;
}

function teamOf(output: TeamsOutput): Map<string, number> {
  return new Map(output.teams.flatMap((t) => t.members.map((id) => [id, t.id] as [string, number])));
}

function memberSets(output: TeamsOutput): string[] {
  return output.teams.map((t) => [...t.members].sort().join(',')).sort();
}

/** Everyone in exactly one team, with sizes in [min, max]. */
function expectEveryoneOnce(output: TeamsOutput, min: number, max: number): void {
  const members = output.teams.flatMap((t) => t.members);
  expect([...members].sort()).to.deep.equal([...ids].sort());
  for (const team of output.teams) {
    expect(team.size).to.equal(team.members.length);
    expect(team.size).to.be.within(min, max);
  }
}

describe('insights teams', function () {
  this.timeout(60_000);
  const files = tempFolder('cli-teams');
  after(() => files.cleanup());

  const reversed = files.write('reversed.csv', [peopleLines[0]!, ...peopleLines.slice(1).reverse()].join('\n'));
  /** Runs that depend on no other run, all started by `before`; each test awaits its own. */
  const RUNS = {
    base: ['teams', PEOPLE, '--team-size', '5-7', '--format', 'json', ...QUICK],
    cluster: ['cluster', PEOPLE, '--format', 'json', ...QUICK],
    csv: ['teams', PEOPLE, '--team-size', '5-7', '--format', 'csv', ...QUICK],
    table: ['teams', PEOPLE, '--team-size', '5-7', '--format', 'table', ...QUICK],
    sevenTeams: ['teams', PEOPLE, '--teams', '7', '--format', 'json', ...QUICK],
    spread: ['teams', PEOPLE, '--team-size', '5-7', '--spread-by', 'department', '--format', 'json', ...QUICK],
    spreadUnknown: ['teams', PEOPLE, '--team-size', '5-7', '--spread-by', 'dept', ...QUICK],
    unknownId: ['teams', PEOPLE, '--team-size', '5-7', '--keep-apart', 'E001,Z-unknown-99', ...QUICK],
    bothSizes: ['teams', PEOPLE, '--teams', '10', '--team-size', '5-7', ...QUICK],
    noSize: ['teams', PEOPLE, ...QUICK],
    reversed: ['teams', reversed, '--team-size', '5-7', '--format', 'json', ...QUICK],
  };
  let base: TeamsOutput;
  before(async () => {
    for (const args of Object.values(RUNS)) void cli(args);
    base = parsed(await cli(RUNS.base));
  });

  it('prints everything `insights cluster` prints, plus the teams', async () => {
    const clusterRun = await cli(RUNS.cluster);
    expect(clusterRun.status, clusterRun.stderr).to.equal(0);
    const clustering = JSON.parse(clusterRun.stdout) as ClusteringResult;
    const { teams, unassigned, score, search, ...rest } = base;
    expect(withoutTimings(rest)).to.deep.equal(withoutTimings(clustering));
    expect(base.timings_ms).to.include.keys(...Object.keys(clustering.timings_ms), 'teams');
    expect(base.timings_ms.teams).to.be.a('number');
    expect(search).to.include.keys('moves_tried', 'moves_applied', 'stopped');

    expect(teams).to.have.length(Math.ceil(300 / 7));
    expectEveryoneOnce(base, 5, 7);
    teams.forEach((team, t) => {
      expect(team).to.include.keys('id', 'members', 'size', 'energy_mean', 'balance', 'cluster_mix', 'wheel_types');
      expect(team.id).to.equal(t + 1);
      expect(team.energy_mean).to.have.all.keys('red', 'blue', 'green', 'yellow');
      expect(team.balance).to.be.within(0, 1);
      expect(team.cluster_mix).to.be.within(0, 1);
      expect(team.wheel_types.length).to.be.greaterThan(0);
    });
    expect(unassigned).to.deep.equal([]);
    expect(score.worst).to.equal(Math.min(...teams.map((t) => t.balance)));
    expect(score.mean).to.be.closeTo(teams.reduce((s, t) => s + t.balance, 0) / teams.length, 1e-4);
    expect(score.worst).to.be.at.least(score.population_balance - 0.05);
    expect(score.mean).to.be.at.least(score.population_balance - 0.02);
  });

  it('prints employee_id,cluster,team for every person as CSV', async () => {
    const run = await cli(RUNS.csv);
    expect(run.status, run.stderr).to.equal(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).to.equal('employee_id,cluster,team');
    expect(lines.slice(1).map((l) => l.split(',')[0])).to.deep.equal(ids);
    const clusterOf = new Map(base.assignments.map((a) => [a.employee_id, a.cluster]));
    const team = teamOf(base);
    for (const line of lines.slice(1)) {
      const [id, cluster, teamId] = line.split(',');
      expect(Number(cluster), id).to.equal(clusterOf.get(id!));
      expect(Number(teamId), id).to.equal(team.get(id!));
    }
  });

  it('shows the teams as a table and flags the least balanced', async () => {
    const run = await cli(RUNS.table);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^300 people in 4 clusters · method kmeans · seed 42/);
    expect(run.stdout).to.include(`${base.teams.length} teams · balance mean ${base.score.mean.toFixed(3)}, worst ${base.score.worst.toFixed(3)}`);
    const teamRows = new Map(
      run.stdout
        .split('\n')
        .filter((line) => /^\s*\d+\s+\d+\s+\d+\.\d\s/.test(line))
        .map((line) => [Number(line.trim().split(/\s+/)[0]), line] as [number, string]),
    );
    expect(teamRows.size).to.equal(base.teams.length);
    const leastBalanced = [...base.teams].sort((a, b) => a.balance - b.balance || a.id - b.id)[0]!;
    expect(teamRows.get(leastBalanced.id)).to.include('← least balanced');
    const mostBalanced = [...base.teams].sort((a, b) => b.balance - a.balance)[0]!;
    expect(teamRows.get(mostBalanced.id)).to.not.include('least balanced');
    for (const team of base.teams) expect(run.stdout).to.include(`Team ${team.id}: ${team.members.join(', ')}`);
  });

  it('forms the number of teams asked for, sizes differing by at most one', async () => {
    const output = parsed(await cli(RUNS.sevenTeams));
    expect(output.teams).to.have.length(7);
    expectEveryoneOnce(output, 42, 43);
  });

  describe('--spread-by', () => {
    it('spreads departments: every team within ±1 of its share of each', async () => {
      const output = parsed(await cli(RUNS.spread));
      expectEveryoneOnce(output, 5, 7);
      const share = new Map<string, number>();
      for (const department of departmentOf.values()) share.set(department, (share.get(department) ?? 0) + 1 / ids.length);
      expect(share.size).to.equal(5);
      const off: string[] = [];
      for (const team of output.teams) {
        const counted = new Map<string, number>();
        for (const id of team.members) counted.set(departmentOf.get(id)!, (counted.get(departmentOf.get(id)!) ?? 0) + 1);
        expect(team.spread).to.deep.equal(Object.fromEntries(counted));
        for (const [department, s] of share) {
          const count = counted.get(department) ?? 0;
          if (Math.abs(count - team.size * s) > 1) off.push(`team ${team.id}: ${count} of ${department} among ${team.size}`);
        }
      }
      expect(off).to.deep.equal([]);
    });

    it('exits 2 naming an unknown column and the columns there are', async () => {
      const run = await cli(RUNS.spreadUnknown);
      expect(run.status).to.equal(2);
      expect(run.stderr).to.include('column dept: spreadBy: no such column');
      expect(run.stderr).to.include('"department"');
      expect(run.stderr).to.not.match(/\n\s+at /);
      expect(run.stdout).to.equal('');
    });
  });

  describe('--keep-apart and --keep-together', () => {
    it('honours both, each repeatable', async () => {
      const [t1, t2, t3, t4] = base.teams;
      const apart: [string, string][] = [
        [t1!.members[0]!, t1!.members[1]!],
        [t2!.members[0]!, t2!.members[1]!],
      ];
      const together = [
        [t1!.members[2]!, t2!.members[2]!, t3!.members[2]!],
        [t3!.members[3]!, t4!.members[3]!],
      ];
      const run = await runCli([
        'teams',
        PEOPLE,
        '--team-size',
        '5-7',
        '--format',
        'json',
        ...QUICK,
        ...apart.flatMap((pair) => ['--keep-apart', pair.join(',')]),
        ...together.flatMap((group) => ['--keep-together', group.join(', ')]),
      ]);
      const output = parsed(run);
      expectEveryoneOnce(output, 5, 7);
      const team = teamOf(output);
      for (const [a, b] of apart) expect(team.get(a), `${a} and ${b}`).to.not.equal(team.get(b));
      for (const group of together) expect(new Set(group.map((id) => team.get(id))).size, group.join(',')).to.equal(1);
    });

    it('exits 2 on an unknown employee_id without printing it', async () => {
      const run = await cli(RUNS.unknownId);
      expect(run.status).to.equal(2);
      expect(run.stderr).to.include('keepApart pair 1, second: employee_id is not in the data');
      expect(run.stderr).to.not.include('Z-unknown-99');
    });
  });

  describe('team size options', () => {
    it('exits 2 when given both --teams and --team-size, or neither', async () => {
      const [both, neither] = await Promise.all([cli(RUNS.bothSizes), cli(RUNS.noSize)]);
      for (const run of [both, neither]) {
        expect(run.status).to.equal(2);
        expect(run.stderr).to.include('give either --teams N or --team-size MIN-MAX');
        expect(run.stdout).to.equal('');
      }
    });
  });

  describe('determinism', () => {
    it('prints identical output for identical input and seed', async () => {
      const again = parsed(await runCli(RUNS.base));
      expect(withoutTimings(again)).to.deep.equal(withoutTimings(base));
      expect(again.timings_ms).to.have.property('teams');
    });

    it('forms the same teams from shuffled rows', async () => {
      const output = parsed(await cli(RUNS.reversed));
      expect(output.assignments[0]!.employee_id).to.equal('E300');
      expect(memberSets(output)).to.deep.equal(memberSets(base));
      expect(output.score).to.deep.equal(base.score);
    });
  });
});
