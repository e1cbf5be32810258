/**
 * Whole commands, wall clock and peak RSS, measured side by side in one run:
 *
 * - `insights cluster FILE --method kmeans --clusters 4 --format json` against scikit-learn's
 *   `KMeans(n_init=10)` with pandas (bench/kmeans_sklearn.py), at 1k / 5k / 20k / 100k / 1M rows
 *   of the `separated` scenario, with the adjusted Rand index between the two partitions;
 * - optionally the same with `--method hybrid` (`--hybrid`);
 * - start-up: `insights --help` against `node -e 0`, and `insights cluster` on 1,000 rows against
 *   a core-only driver (bench/lib/core-driver.mjs);
 * - `insights teams FILE --team-size 5-7 --method kmeans` at 100,000 people, with its balance;
 * - with `--before CLI`, every `insights` command also with another build of the CLI (e.g. an
 *   older commit's `packages/cli/bin/insights.js`), interleaved, so before/after ratios come from
 *   the same run; the teams' balance and membership of both are compared.
 * - with `--profile`, one more run of the 100k k-means command (each CLI) under `node --cpu-prof`,
 *   reporting the functions with the most self time.
 *
 * Run: npm run build && npx tsx bench/whole-command.ts [--rows 1000,5000,20000,100000,1000000]
 *        [--runs 3] [--hybrid] [--before PATH] [--profile] [--teams-rows 100000]
 * Needs /usr/bin/time (Debian `time`) and /usr/bin/python3 with scikit-learn and pandas:
 *   apt-get install -y time python3-sklearn python3-pandas
 * Input files are written to bench/out/ on first use (kmeans-N.csv).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adjustedRandIndex, generateSynthetic } from '../packages/core/src/index.ts';
import { topSelfTime } from './lib/cpu-profile.ts';
import { populationToCsv } from './lib/population.ts';
import { machine, printJson, round } from './lib/report.ts';
import { median } from './lib/timing.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PYTHON = '/usr/bin/python3';
const K = 4;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

const ROWS = (option('--rows') ?? '1000,5000,20000,100000,1000000').split(',').map(Number);
const RUNS = Number(option('--runs') ?? 3);
const TEAMS_ROWS = Number(option('--teams-rows') ?? 100_000);
const AFTER = join(ROOT, 'packages/cli/bin/insights.js');
const BEFORE = option('--before');
const CLIS: Record<string, string> = BEFORE ? { after: AFTER, before: BEFORE } : { after: AFTER };
const scratch = mkdtempSync(join(tmpdir(), 'insights-bench-'));

interface Run {
  seconds: number;
  rss_mb: number;
  stdout: string;
}

/** One run of a command under /usr/bin/time: wall seconds, peak RSS, standard output (a file). */
function measure(command: string[], label: string): Run {
  const stdout = join(scratch, `${label}.out`);
  const timing = join(scratch, 'time.txt');
  const fd = openSync(stdout, 'w');
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', timing, ...command], { stdio: ['ignore', fd, 'pipe'], cwd: ROOT });
  closeSync(fd);
  if (run.status !== 0) throw new Error(`${command.join(' ')} failed (${run.status}): ${run.stderr.toString().slice(-2000)}`);
  const [seconds, kb] = readFileSync(timing, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { seconds: seconds!, rss_mb: round(kb! / 1024, 0), stdout };
}

/** Runs every command `runs` times, interleaved (so load changes hit all alike); medians. */
function compare(commands: Record<string, string[]>, runs: number): Record<string, { seconds: number; rss_mb: number; runs: number[]; stdout: string }> {
  const all: Record<string, Run[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let r = 0; r < runs; r++) for (const [name, command] of Object.entries(commands)) all[name]!.push(measure(command, name));
  return Object.fromEntries(
    Object.entries(all).map(([name, list]) => [
      name,
      { seconds: median(list.map((l) => l.seconds)), rss_mb: median(list.map((l) => l.rss_mb)), runs: list.map((l) => l.seconds), stdout: list.at(-1)!.stdout },
    ]),
  );
}

function csvFile(rows: number): string {
  const file = join(ROOT, `bench/out/kmeans-${rows}.csv`);
  if (!existsSync(file)) {
    process.stderr.write(`writing ${file}\n`);
    mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
    writeFileSync(file, populationToCsv(generateSynthetic('separated', rows, 1)));
  }
  return file;
}

/** ARI between two commands' assignments, matched by employee_id. */
function agreement(a: string, b: string): number {
  const read = (file: string) =>
    new Map(
      (JSON.parse(readFileSync(file, 'utf8')) as { assignments: { employee_id: string; cluster: number }[] }).assignments.map((x) => [
        x.employee_id,
        x.cluster,
      ]),
    );
  const x = read(a);
  const y = read(b);
  const ids = [...x.keys()];
  if (ids.length !== y.size || ids.some((id) => !y.has(id))) throw new Error('the two commands assigned different people');
  return round(
    adjustedRandIndex(
      ids.map((id) => x.get(id)!),
      ids.map((id) => y.get(id)!),
    ),
    6,
  );
}

const ratio = (slow: number, fast: number) => round(slow / fast, 2);
const load = () => loadavg().map((l) => round(l, 2));
const loadBefore = load();

const cluster: Record<string, unknown>[] = [];
for (const rows of ROWS) {
  process.stderr.write(`cluster ${rows}\n`);
  const file = csvFile(rows);
  const commands: Record<string, string[]> = { sklearn: [PYTHON, 'bench/kmeans_sklearn.py', file, String(K)] };
  for (const [name, cli] of Object.entries(CLIS)) {
    commands[`kmeans_${name}`] = ['node', cli, 'cluster', file, '--method', 'kmeans', '--clusters', String(K), '--format', 'json'];
    if (process.argv.includes('--hybrid'))
      commands[`hybrid_${name}`] = ['node', cli, 'cluster', file, '--method', 'hybrid', '--clusters', String(K), '--format', 'json'];
  }
  const runs = rows >= 1_000_000 ? Math.min(RUNS, 2) : RUNS;
  const result = compare(commands, runs);
  const row: Record<string, unknown> = { rows, runs, loadavg: load() };
  for (const [name, r] of Object.entries(result)) row[name] = { seconds: r.seconds, rss_mb: r.rss_mb, runs: r.runs };
  row.sklearn_over_kmeans_after = ratio(result.sklearn!.seconds, result.kmeans_after!.seconds);
  if (BEFORE) row.kmeans_before_over_after = ratio(result.kmeans_before!.seconds, result.kmeans_after!.seconds);
  if (result.hybrid_after) row.sklearn_over_hybrid_after = ratio(result.sklearn!.seconds, result.hybrid_after.seconds);
  row.ari_kmeans_after_vs_sklearn = agreement(result.kmeans_after!.stdout, result.sklearn!.stdout);
  if (BEFORE) row.ari_kmeans_after_vs_before = agreement(result.kmeans_after!.stdout, result.kmeans_before!.stdout);
  row.timings_ms_after = (JSON.parse(readFileSync(result.kmeans_after!.stdout, 'utf8')) as { timings_ms: unknown }).timings_ms;
  cluster.push(row);
}

process.stderr.write('start-up\n');
const small = csvFile(1000);
const startupCommands: Record<string, string[]> = {
  node_e0: ['node', '-e', '0'],
  core_driver: ['node', 'bench/lib/core-driver.mjs', small],
};
for (const [name, cli] of Object.entries(CLIS)) {
  startupCommands[`help_${name}`] = ['node', cli, '--help'];
  startupCommands[`cluster_1k_${name}`] = ['node', cli, 'cluster', small, '--method', 'kmeans', '--clusters', String(K), '--format', 'json'];
}
const startup = compare(startupCommands, Math.max(RUNS, 5));
const startupReport: Record<string, unknown> = Object.fromEntries(
  Object.entries(startup).map(([n, r]) => [n, { seconds: r.seconds, rss_mb: r.rss_mb, runs: r.runs }]),
);
for (const name of Object.keys(CLIS)) {
  startupReport[`help_${name}_over_node_e0`] = ratio(startup[`help_${name}`]!.seconds, startup.node_e0!.seconds);
  startupReport[`cluster_1k_${name}_over_core_driver`] = ratio(startup[`cluster_1k_${name}`]!.seconds, startup.core_driver!.seconds);
}

process.stderr.write(`teams ${TEAMS_ROWS}\n`);
const teamsFile = csvFile(TEAMS_ROWS);
const teamsCommands = Object.fromEntries(
  Object.entries(CLIS).map(([name, cli]) => [
    `teams_${name}`,
    ['node', cli, 'teams', teamsFile, '--team-size', '5-7', '--method', 'kmeans', '--format', 'json'],
  ]),
);
const teams = compare(teamsCommands, RUNS);
interface TeamsDoc {
  score: { mean: number; worst: number; population_balance: number };
  teams: { members: string[] }[];
}
const teamsReport: Record<string, unknown> = { rows: TEAMS_ROWS, target_seconds: 4 };
const teamDocs: Record<string, TeamsDoc> = {};
for (const [name, r] of Object.entries(teams)) {
  teamDocs[name] = JSON.parse(readFileSync(r.stdout, 'utf8')) as TeamsDoc;
  teamsReport[name] = { seconds: r.seconds, rss_mb: r.rss_mb, runs: r.runs, score: teamDocs[name].score };
}
teamsReport.after_under_target = teams.teams_after!.seconds < 4;
if (BEFORE) {
  const members = (doc: TeamsDoc) => JSON.stringify(doc.teams.map((t) => t.members));
  teamsReport.before_over_after = ratio(teams.teams_before!.seconds, teams.teams_after!.seconds);
  teamsReport.balance_unchanged = JSON.stringify(teamDocs.teams_before!.score) === JSON.stringify(teamDocs.teams_after!.score);
  teamsReport.same_teams = members(teamDocs.teams_before!) === members(teamDocs.teams_after!);
}

const profiles: Record<string, unknown> = {};
if (process.argv.includes('--profile')) {
  const file = csvFile(100_000);
  for (const [name, cli] of Object.entries(CLIS)) {
    process.stderr.write(`profile ${name}\n`);
    const dir = join(scratch, `profile-${name}`);
    measure(
      ['node', '--cpu-prof', `--cpu-prof-dir=${dir}`, cli, 'cluster', file, '--method', 'kmeans', '--clusters', String(K), '--format', 'json'],
      `profile-${name}`,
    );
    profiles[name] = topSelfTime(join(dir, readdirSync(dir)[0]!), 15);
  }
}

printJson({
  benchmark: 'whole-command',
  ...machine(),
  loadavg_start: loadBefore,
  loadavg_end: load(),
  k: K,
  before_cli: BEFORE ?? null,
  cluster,
  startup: startupReport,
  teams: teamsReport,
  cpu_profiles_100k_kmeans: profiles,
  note: 'seconds are medians of wall-clock runs, interleaved; ratios are slow / fast within this run. The Node CLI also computes quality scores (silhouette, Calinski-Harabasz, Davies-Bouldin, 10 bootstrap stability runs); scikit-learn only fits. scikit-learn may use both cores (OpenMP); the CLI runs k-means in one thread.',
});
rmSync(scratch, { recursive: true, force: true });
