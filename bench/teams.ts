/**
 * Team formation: balance of `formTeams` against two baselines, the Python original's greedy
 * (bench/baselines/greedy-teams.ts) and a seeded random split (bench/baselines/random-teams.ts),
 * on synthetic populations of 500 to 10,000 people; then the whole `insights teams` command on
 * 10,000 people, wall clock, against the 5 s target.
 *
 * Run: npx tsx bench/teams.ts [--runs R] [--greedy-max N] [--no-cli]
 *   --runs R        timed runs after the cold one, per method and population (default 3)
 *   --greedy-max N  run the greedy only up to N people (default 10000: every population)
 *   --no-cli        skip the whole-command timing (which needs `npm run build`)
 *
 * Prints one JSON document. Exits 0 whether or not a target is met (the document says); non-zero
 * only when something crashes, including the CLI failing on the generated file.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  clusterProfiles,
  formTeams,
  generateSynthetic,
  planSizes,
  populationBalance,
  type ProfileSet,
  type SyntheticScenario,
} from '../packages/core/src/index.ts';
import { greedyTeams } from './baselines/greedy-teams.ts';
import { randomTeams } from './baselines/random-teams.ts';
import { populationToCsv, toProfileSet } from './lib/population.ts';
import { machine, printJson, round } from './lib/report.ts';
import { median, timeRepeated } from './lib/timing.ts';

const POPULATIONS = [500, 1000, 2000, 5000, 10_000];
const SCENARIOS: readonly SyntheticScenario[] = ['separated', 'overlapping', 'unequal'];
const DATA_SEED = 1;
const K = 4;
const CLUSTER_SEED = 42;
const TEAM_SEED = 42;
const RANDOM_SEED = 42;
const TEAM_SIZE: [number, number] = [5, 7];
/** The greedy fills every team to this size (the maximum of TEAM_SIZE). */
const GREEDY_MAX_SIZE = TEAM_SIZE[1];
/** Targets from the issue, relative to the population's own balance (the ceiling of any team). */
const WORST_TOLERANCE = 0.05;
const MEAN_TOLERANCE = 0.02;
const CLI_ROWS = 10_000;
const CLI_SCENARIO: SyntheticScenario = 'separated';
const CLI_TARGET_SECONDS = 5;
const CLI_RUNS = 3;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'packages/cli/dist/main.js');

function flagValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name}: expected a whole number, got "${process.argv[i + 1]}"`);
  return value;
}
const RUNS = Math.max(1, flagValue('--runs', 3));
const GREEDY_MAX_N = flagValue('--greedy-max', 10_000);
const WITH_CLI = !process.argv.includes('--no-cli');

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Mean and worst balance, sizes and partition validity of a set of teams (rows of `energies`). */
interface Evaluation {
  teams: number;
  mean: number;
  worst: number;
  size_min: number;
  size_max: number;
  sizes_within_range: boolean;
  /** Everyone in exactly one team. */
  partition_ok: boolean;
}

/** Balance = 1 − ‖team mean − 25‖₁ / 150, computed here the same way for every method (unrounded). */
function evaluate(teams: readonly ArrayLike<number>[], energies: Float64Array): Evaluation {
  const n = energies.length / 4;
  const seen = new Uint8Array(n);
  let partitionOk = true;
  let total = 0;
  let worst = Infinity;
  let sizeMin = Infinity;
  let sizeMax = 0;
  for (const team of teams) {
    const sums = [0, 0, 0, 0];
    for (let m = 0; m < team.length; m++) {
      const row = team[m]!;
      if (seen[row]) partitionOk = false;
      seen[row] = 1;
      for (let c = 0; c < 4; c++) sums[c]! += energies[row * 4 + c]!;
    }
    let deviation = 0;
    for (let c = 0; c < 4; c++) deviation += Math.abs(sums[c]! / team.length - 25);
    const balance = 1 - deviation / 150;
    total += balance;
    worst = Math.min(worst, balance);
    sizeMin = Math.min(sizeMin, team.length);
    sizeMax = Math.max(sizeMax, team.length);
  }
  if (seen.some((s) => s === 0)) partitionOk = false;
  return {
    teams: teams.length,
    mean: total / teams.length,
    worst,
    size_min: sizeMin,
    size_max: sizeMax,
    sizes_within_range: sizeMin >= TEAM_SIZE[0] && sizeMax <= TEAM_SIZE[1],
    partition_ok: partitionOk,
  };
}

/** A canonical text of a partition, to compare runs: teams in order, members sorted. */
function signature(teams: readonly ArrayLike<number>[]): string {
  return teams
    .map((t) =>
      Array.from(t)
        .sort((a, b) => a - b)
        .join(','),
    )
    .join(';');
}

/** Times `run` (cold, then RUNS more), checks every run gave the same teams, and evaluates them. */
function measure(run: () => ArrayLike<number>[], energies: Float64Array) {
  const seen: { teams: ArrayLike<number>[]; signature: string }[] = [];
  const timing = timeRepeated(() => {
    const start = performance.now();
    const teams = run();
    const ms = performance.now() - start;
    seen.push({ teams, signature: signature(teams) });
    return { ms };
  }, RUNS);
  return {
    evaluation: evaluate(seen[0]!.teams, energies),
    identical_across_runs: seen.every((s) => s.signature === seen[0]!.signature),
    cold_ms: round(timing.cold.ms, 1),
    median_ms: round(timing.median.ms, 1),
  };
}

interface Row {
  scenario: SyntheticScenario;
  n: number;
  method: 'greedy' | 'random' | 'ours';
  population_balance: number;
  teams: number;
  mean: number;
  worst: number;
  size_min: number;
  size_max: number;
  sizes_within_range: boolean;
  partition_ok: boolean;
  identical_across_runs: boolean;
  /** Median of the timed runs after the cold one. */
  time_ms: number;
  cold_ms: number;
  /** Ours only: how its local search ended (formTeams' `search`). */
  search?: { moves_tried: number; moves_applied: number; stopped: string };
}

interface Check {
  scenario: SyntheticScenario;
  n: number;
  population_balance: number;
  /** margin = worst − (population − 0.05); pass when ≥ 0. */
  worst_within_0_05: { pass: boolean; margin: number };
  /** margin = mean − (population − 0.02); pass when ≥ 0. */
  mean_within_0_02: { pass: boolean; margin: number };
  sizes_within_range: boolean;
  partition_ok: boolean;
  identical_across_runs: boolean;
}

function toRow(scenario: SyntheticScenario, n: number, method: Row['method'], populationBalanceValue: number, m: ReturnType<typeof measure>): Row {
  const e = m.evaluation;
  return {
    scenario,
    n,
    method,
    population_balance: round(populationBalanceValue, 4),
    teams: e.teams,
    mean: round(e.mean, 4),
    worst: round(e.worst, 4),
    size_min: e.size_min,
    size_max: e.size_max,
    sizes_within_range: e.sizes_within_range,
    partition_ok: e.partition_ok,
    identical_across_runs: m.identical_across_runs,
    time_ms: m.median_ms,
    cold_ms: m.cold_ms,
  };
}

/** Clusters one population, runs the three methods on it; returns the clustering time in ms. */
function benchPopulation(scenario: SyntheticScenario, n: number, rows: Row[], checks: Check[]): number {
  const profiles: ProfileSet = toProfileSet(generateSynthetic(scenario, n, DATA_SEED));
  const energies = profiles.energies;
  const population = populationBalance(energies);

  const start = performance.now();
  const clustered = clusterProfiles(profiles, { method: 'kmeans', clusters: K, seed: CLUSTER_SEED, stabilityRuns: 0 });
  const clusteringMs = performance.now() - start;
  const clusterOf = new Map(clustered.assignments.map((a) => [a.employee_id, a.cluster]));
  const labels = Int32Array.from(profiles.ids, (id) => clusterOf.get(id)!);
  const rowOf = new Map(profiles.ids.map((id, row) => [id, row]));

  if (n <= GREEDY_MAX_N) {
    const greedy = measure(() => greedyTeams(energies, labels, GREEDY_MAX_SIZE), energies);
    rows.push(toRow(scenario, n, 'greedy', population, greedy));
  }

  const sizes = planSizes(n, undefined, TEAM_SIZE).targets;
  const random = measure(() => randomTeams(n, sizes, RANDOM_SEED), energies);
  rows.push(toRow(scenario, n, 'random', population, random));

  let search: Row['search'];
  const ours = measure(() => {
    const result = formTeams(profiles, labels, { teamSize: TEAM_SIZE, seed: TEAM_SEED });
    search = result.search;
    return result.teams.map((t) => Int32Array.from(t.members, (id) => rowOf.get(id)!));
  }, energies);
  const row = { ...toRow(scenario, n, 'ours', population, ours), search };
  rows.push(row);
  const worstMargin = ours.evaluation.worst - (population - WORST_TOLERANCE);
  const meanMargin = ours.evaluation.mean - (population - MEAN_TOLERANCE);
  checks.push({
    scenario,
    n,
    population_balance: row.population_balance,
    worst_within_0_05: { pass: worstMargin >= 0, margin: round(worstMargin, 4) },
    mean_within_0_02: { pass: meanMargin >= 0, margin: round(meanMargin, 4) },
    sizes_within_range: row.sizes_within_range,
    partition_ok: row.partition_ok,
    identical_across_runs: row.identical_across_runs,
  });
  return clusteringMs;
}

/**
 * Which code was measured: the commit, and tracked files under packages/ that differ from it
 * (the numbers depend on the core, including its random streams, which may change under a run).
 */
function codeVersion(): { commit: string | null; modified_in_packages: string[] } {
  const git = (args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  const head = git(['rev-parse', '--short', 'HEAD']);
  const status = git(['status', '--porcelain', '--untracked-files=no', '--', 'packages']);
  return {
    commit: head.status === 0 ? head.stdout.trim() : null,
    modified_in_packages:
      status.status === 0
        ? status.stdout
            .split('\n')
            .filter((l) => l.trim() !== '')
            .map((l) => l.slice(3))
        : [],
  };
}

/** Source files newer than their compiled counterpart: the CLI timed may not be the code in src/. */
function possiblyStaleBuild(): string[] {
  const stale: string[] = [];
  for (const pkg of ['core', 'cli']) {
    const src = join(ROOT, 'packages', pkg, 'src');
    const dist = join(ROOT, 'packages', pkg, 'dist');
    if (!existsSync(src)) continue;
    for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
      const file = join(entry.parentPath, entry.name);
      const compiled = join(dist, relative(src, file)).replace(/\.ts$/, '.js');
      if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(file).mtimeMs) stale.push(relative(ROOT, file));
    }
  }
  return stale;
}

interface CliRun {
  seconds: number;
  status: number | null;
  stderr: string;
}

function runCli(file: string, extra: readonly string[], stdoutFile: string): CliRun {
  const out = openSync(stdoutFile, 'w');
  try {
    const start = performance.now();
    const child = spawnSync(process.execPath, [CLI, 'teams', file, '--team-size', `${TEAM_SIZE[0]}-${TEAM_SIZE[1]}`, '--format', 'json', ...extra], {
      stdio: ['ignore', out, 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const seconds = (performance.now() - start) / 1000;
    return { seconds, status: child.status, stderr: child.stderr?.toString().slice(-2000) ?? '' };
  } finally {
    closeSync(out);
  }
}

/** Whole-command wall clock on a 10,000-person CSV, default method (hybrid) and k-means. */
function benchCli(): { document: unknown; crashed: boolean } {
  if (!existsSync(CLI)) return { document: { skipped: `${relative(ROOT, CLI)} not found: run npm run build first` }, crashed: false };
  const dir = mkdtempSync(join(tmpdir(), 'insights-bench-teams-'));
  try {
    const file = join(dir, `people-${CLI_ROWS}.csv`);
    writeFileSync(file, populationToCsv(generateSynthetic(CLI_SCENARIO, CLI_ROWS, DATA_SEED)));
    const variants: { name: string; args: string[] }[] = [
      { name: 'hybrid (default)', args: [] },
      { name: 'kmeans', args: ['--method', 'kmeans'] },
    ];
    const times = variants.map(() => [] as number[]);
    const failures: { variant: string; status: number | null; stderr: string }[] = [];
    // Interleaved, so that load from other work spreads over both variants.
    for (let r = 0; r < CLI_RUNS; r++) {
      variants.forEach((v, i) => {
        progress(`cli ${v.name} run ${r + 1}/${CLI_RUNS}`);
        const run = runCli(file, v.args, '/dev/null');
        if (run.status !== 0) failures.push({ variant: v.name, status: run.status, stderr: run.stderr });
        else times[i]!.push(run.seconds);
      });
    }
    // Two more, untimed runs per variant with the output kept: same teams twice, sizes, scores.
    const outputs = variants.map((v, i) => {
      const texts = [0, 1].map((j) => {
        const out = join(dir, `out-${i}-${j}.json`);
        const run = runCli(file, v.args, out);
        if (run.status !== 0) failures.push({ variant: v.name, status: run.status, stderr: run.stderr });
        return run.status === 0 ? readFileSync(out, 'utf8') : null;
      });
      if (texts[0] == null || texts[1] == null) return null;
      const [a, b] = texts.map((t) => JSON.parse(t!) as { teams: { members: string[]; size: number }[]; score: Record<string, number> });
      const sizes = a!.teams.map((t) => t.size);
      const people = a!.teams.reduce((s, t) => s + t.members.length, 0);
      return {
        score: a!.score,
        teams: a!.teams.length,
        size_min: Math.min(...sizes),
        size_max: Math.max(...sizes),
        everyone_assigned: people === CLI_ROWS && new Set(a!.teams.flatMap((t) => t.members)).size === CLI_ROWS,
        identical_teams_on_rerun: JSON.stringify(a!.teams) === JSON.stringify(b!.teams),
      };
    });
    const results = variants.map((v, i) => {
      const runs = times[i]!;
      const med = runs.length > 0 ? median(runs) : null;
      return {
        variant: v.name,
        command: `node packages/cli/dist/main.js teams FILE --team-size ${TEAM_SIZE[0]}-${TEAM_SIZE[1]} --format json${v.args.length ? ` ${v.args.join(' ')}` : ''} > /dev/null`,
        median_seconds: med === null ? null : round(med, 2),
        runs_seconds: runs.map((s) => round(s, 2)),
        under_5s: med === null ? null : { pass: med < CLI_TARGET_SECONDS, margin_seconds: round(CLI_TARGET_SECONDS - med, 2) },
        output: outputs[i],
      };
    });
    return {
      document: {
        rows: CLI_ROWS,
        scenario: CLI_SCENARIO,
        data_seed: DATA_SEED,
        runs: CLI_RUNS,
        target_seconds: CLI_TARGET_SECONDS,
        node: process.execPath,
        possibly_stale_build: possiblyStaleBuild(),
        results,
        failures,
      },
      crashed: failures.length > 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const machineBefore = machine();
  const codeBefore = codeVersion();
  const rows: Row[] = [];
  const checks: Check[] = [];
  const clustering: { scenario: SyntheticScenario; n: number; clustering_ms: number }[] = [];
  for (const scenario of SCENARIOS) {
    for (const n of POPULATIONS) {
      progress(`${scenario} n=${n}`);
      const ms = benchPopulation(scenario, n, rows, checks);
      clustering.push({ scenario, n, clustering_ms: round(ms, 1) });
    }
  }
  const cli = WITH_CLI ? benchCli() : { document: { skipped: '--no-cli' }, crashed: false };
  const failures = checks.flatMap((c) => {
    const where = `${c.scenario} n=${c.n}`;
    const out: string[] = [];
    if (!c.worst_within_0_05.pass) out.push(`${where}: worst ${c.worst_within_0_05.margin} below population − 0.05`);
    if (!c.mean_within_0_02.pass) out.push(`${where}: mean ${c.mean_within_0_02.margin} below population − 0.02`);
    if (!c.sizes_within_range) out.push(`${where}: team sizes outside ${TEAM_SIZE.join('–')}`);
    if (!c.partition_ok) out.push(`${where}: not everyone in exactly one team`);
    if (!c.identical_across_runs) out.push(`${where}: different teams on identical input and seed`);
    return out;
  });
  printJson({
    benchmark: 'teams',
    machine: { before: machineBefore, after: machine() },
    code: { before: codeBefore, after: codeVersion() },
    setup: {
      populations: POPULATIONS,
      scenarios: SCENARIOS,
      data_seed: DATA_SEED,
      clustering: { method: 'kmeans', k: K, seed: CLUSTER_SEED, stabilityRuns: 0, note: 'once per population; all three methods get the same labels' },
      ours: { call: 'formTeams', teamSize: TEAM_SIZE, seed: TEAM_SEED },
      greedy: { max_size: GREEDY_MAX_SIZE, up_to_n: GREEDY_MAX_N, note: 'last team takes whoever is left, so may be below the minimum' },
      random: { seed: RANDOM_SEED, sizes: `planSizes(n, teamSize ${TEAM_SIZE.join('–')}): the sizes ours starts from` },
      timing: `time_ms = median of ${RUNS} runs after a cold one (cold_ms); clustering not included`,
    },
    rows,
    clustering_ms: clustering,
    ours_checks: checks,
    summary: {
      ours_all_checks_pass: failures.length === 0,
      failures,
      greedy_worst_min: round(Math.min(...rows.filter((r) => r.method === 'greedy').map((r) => r.worst)), 4),
      random_worst_min: round(Math.min(...rows.filter((r) => r.method === 'random').map((r) => r.worst)), 4),
    },
    cli: cli.document,
  });
  if (cli.crashed) process.exitCode = 1;
}

main();
