import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import {
  AUTO_K,
  CLUSTERING_LIMITS,
  clusterProfiles,
  clusterProfilesWith,
  matchClusters,
  DEFAULT_METHOD,
  METHODS,
  parseProfiles,
  type ClusteringOptionsInput,
  type ClusteringResult,
  type IntegerBound,
  type ProfileSet,
} from '@insights/core';
import type { ReportOptions } from '@insights/report';
import { commandTimings, type InputTimings } from '../command-timings.js';
import { UsageError } from '../errors.js';
import { formatAssignmentsCsv } from '../format/csv.js';
import { checkReportFlags, formatHtml, reportOptionsFrom } from '../format/html.js';
import { formatJson } from '../format/json.js';
import { formatClusteringTable } from '../format/table.js';
import { formatOf, readInput } from '../read-input.js';
import { readPrevious } from './previous.js';

/** Output formats of `insights cluster`. */
const OUTPUT_FORMATS = ['json', 'table', 'csv', 'html'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Options shared by the commands that cluster in-process. */
export interface ClusterFlags {
  method: string;
  clusters: string;
  seed: string;
  threads: string;
  format: OutputFormat;
  skipInvalid?: boolean;
  stabilityRuns: string;
  set: string[];
  /** Replace employee_ids with pseudonyms in the HTML report. */
  anonymise?: boolean;
  /** Secret behind the pseudonyms, so that reports agree; implies `anonymise`. */
  anonymiseSalt?: string;
  /** An input column whose values the HTML report shows beside each employee_id. */
  labelColumn?: string;
  /** An earlier result whose cluster ids this run keeps (cluster only). */
  previous?: string;
}

/** Adds the clustering options to a command; `--format` defaults to `defaultFormat`. */
export function addClusteringOptions(command: Command, defaultFormat: OutputFormat = 'table'): Command {
  const { clusters, seed, stabilityRuns } = CLUSTERING_LIMITS;
  return command
    .addOption(new Option('--method <method>', 'clustering method').choices(METHODS).default(DEFAULT_METHOD))
    .option('--clusters <k>', `number of clusters (${range(clusters)}), or "auto" to choose ${range(AUTO_K)}`, String(clusters.default))
    .option('--seed <seed>', `seed of every random choice (${range(seed)})`, String(seed.default))
    .option('--threads <n>', 'worker threads for feature extraction (same result for any number)', '1')
    .option('--stability-runs <n>', 'bootstrap re-clusterings behind the stability score; 0 skips it', String(stabilityRuns.default))
    .option('--skip-invalid', 'leave invalid rows out and list them, instead of failing')
    .option(
      '--set <name=value>',
      'a method parameter, e.g. esn.spectralRadius=0.8, snn.steps=60, lsm.grid=[4,4,4], nInit=20 (repeatable; see docs/methods.md)',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .addOption(
      new Option('--format <format>', 'output format (html: a self-contained report, see docs/report.md)').choices(OUTPUT_FORMATS).default(defaultFormat),
    )
    .option('--anonymise', 'with --format html: show pseudonyms ("Person 7F3A") instead of employee_ids')
    .option(
      '--anonymise-salt <secret>',
      'with --format html: the secret behind the pseudonyms, so that reports agree (implies --anonymise; default: a random one)',
    )
    .option('--label-column <column>', 'with --format html: show this input column (a name, say) beside each employee_id; never with --anonymise');
}

/** `min–max` of a bound, as the help shows it. */
function range({ min, max }: { min: number; max: number }): string {
  return `${min}–${max}`;
}

/** Parses an integer option within a bound, or explains what is wrong with it. */
function integer(name: string, value: string, { min, max }: Required<Pick<IntegerBound, 'min' | 'max'>>, problems: string[]): number {
  const parsed = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    problems.push(`--${name}: expected a whole number from ${min} to ${max}, got "${value}"`);
    return min;
  }
  return parsed;
}

/**
 * The methods that read each group of `--set` parameters; a group given to another method would be
 * ignored silently, so it is refused. Ungrouped parameters (nInit …) serve every method.
 */
const METHODS_USING: Readonly<Record<string, readonly string[]>> = {
  esn: ['esn', 'hybrid'],
  snn: ['snn', 'hybrid'],
  lsm: ['lsm', 'hybrid'],
  hybridWeights: ['hybrid'],
};

/** Turns command-line flags into core options and a thread count; every problem at once. */
export function clusteringOptionsFrom(flags: ClusterFlags): { options: ClusteringOptionsInput; threads: number } {
  const problems: string[] = [];
  const clusters: number | 'auto' =
    flags.clusters.trim().toLowerCase() === 'auto' ? 'auto' : integer('clusters', flags.clusters, CLUSTERING_LIMITS.clusters, problems);
  const seed = integer('seed', flags.seed, CLUSTERING_LIMITS.seed, problems);
  const threads = integer('threads', flags.threads, { min: 1, max: Math.max(64, availableParallelism()) }, problems);
  const stabilityRuns = integer('stability-runs', flags.stabilityRuns, CLUSTERING_LIMITS.stabilityRuns, problems);
  const parameters = parameterOverrides(flags.set, problems);
  for (const group of Object.keys(parameters)) {
    const users = METHODS_USING[group];
    if (users !== undefined && !users.includes(flags.method)) {
      problems.push(
        `--set ${group}.…: method ${flags.method} does not use ${group} parameters (only ${users.join(' and ')} do${users.length === 1 ? 'es' : ''})`,
      );
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  const options: ClusteringOptionsInput = { ...parameters, method: flags.method as ClusteringOptionsInput['method'], clusters, seed, stabilityRuns };
  return { options, threads };
}

/**
 * Turns `--set esn.units=32` style flags into nested options. Values are read as JSON (numbers,
 * arrays) where they parse, else kept as text; the core's schema then checks names and ranges.
 */
function parameterOverrides(settings: readonly string[], problems: string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const setting of settings) {
    const match = /^([A-Za-z]+)(?:\.([A-Za-z]+))?=(.+)$/.exec(setting.trim());
    if (!match) {
      problems.push(`--set: expected NAME=VALUE or METHOD.NAME=VALUE, got "${setting}"`);
      continue;
    }
    const [, first, second, text] = match as unknown as [string, string, string | undefined, string];
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // Not JSON: keep the text and let the schema say what it expected.
    }
    if (second === undefined) options[first] = value;
    else options[first] = { ...(options[first] as Record<string, unknown> | undefined), [second]: value };
  }
  return options;
}

/** Reads and validates the profiles of a file (or `-`), timing start-up, reading and parsing. */
export async function loadProfiles(file: string, skipInvalid: boolean): Promise<{ profiles: ProfileSet; timings: InputTimings }> {
  const start = performance.now();
  const text = await readInput(file);
  const read = performance.now();
  const profiles = parseProfiles(text, { format: formatOf(file), skipInvalid });
  return { profiles, timings: { start, read: read - start, parse: performance.now() - read } };
}

/** Clusters in this process, on `threads` worker threads when more than one. */
export async function runClustering(
  profiles: ProfileSet,
  options: ClusteringOptionsInput,
  threads: number,
  onProgress?: (stage: string) => void,
): Promise<ClusteringResult> {
  const hooks = { now: () => performance.now(), onProgress };
  if (threads <= 1) return clusterProfiles(profiles, options, hooks);
  // Piscina is loaded only when threads are asked for.
  const { createFeaturePool } = await import('../feature-pool.js');
  const pool = createFeaturePool(threads);
  try {
    return await clusterProfilesWith(pool.execute, profiles, options, hooks);
  } finally {
    await pool.close();
  }
}

/** Renders a result in the chosen format; `report` carries the HTML report's options. */
export function render(result: ClusteringResult, format: OutputFormat, pretty: boolean, report: ReportOptions = {}): string {
  if (format === 'html') return formatHtml(result, report);
  if (format === 'csv') return formatAssignmentsCsv(result);
  if (format === 'table') return formatClusteringTable(result);
  return formatJson(result, pretty);
}

/** Progress lines on stderr for people watching a terminal, nothing otherwise. */
export function progressReporter(format: OutputFormat): ((stage: string) => void) | undefined {
  if (format !== 'table' || !process.stderr.isTTY) return undefined;
  return (stage) => process.stderr.write(`… ${stage}\n`);
}

/** `insights cluster FILE|-`: clusters in-process and prints the result. */
export function registerClusterCommand(program: Command): void {
  addClusteringOptions(
    program
      .command('cluster')
      .description('cluster the profiles of a CSV or JSON file (or - for standard input), in this process')
      .argument('<file>', 'CSV or JSON file of profiles, or - for standard input')
      .option('--previous <result>', 'an earlier result (--format json) to follow: stable cluster ids, new and vanished clusters, who moved'),
  ).action(async (file: string, flags: ClusterFlags) => {
    const { options, threads } = clusteringOptionsFrom(flags);
    checkReportFlags(flags);
    const previous = flags.previous === undefined ? null : await readPrevious(flags.previous);
    const { profiles, timings } = await loadProfiles(file, flags.skipInvalid ?? false);
    const result = await runClustering(profiles, options, threads, progressReporter(flags.format));
    if (previous) result.identity = matchClusters(previous, result);
    result.timings_ms = commandTimings(timings, result.timings_ms);
    process.stdout.write(render(result, flags.format, process.stdout.isTTY === true, reportOptionsFrom(flags, profiles)));
  });
}
