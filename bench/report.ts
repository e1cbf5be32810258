/**
 * HTML reports: time and size of `renderClusteringReport` and `renderTeamsReport` for synthetic
 * populations of 1,000 and 10,000 people, against the targets (under 2 s, under 5 MB),
 * with and without pseudonyms. Clustering and team formation happen once per population, outside
 * the timing.
 *
 * Run: npx tsx bench/report.ts [--runs R]
 *   --runs R  timed runs after the cold one (default 3)
 *
 * Prints one JSON document. Exits 0 whether or not a target is met (the document says).
 */
import { clusterProfiles, formTeams, generateSynthetic } from '../packages/core/src/index.ts';
import { renderClusteringReport, renderTeamsReport, type ReportOptions } from '../packages/report/src/index.ts';
import { toProfileSet } from './lib/population.ts';
import { machine, printJson, round } from './lib/report.ts';
import { timeRepeated } from './lib/timing.ts';

const POPULATIONS = [1000, 10_000];
const DATA_SEED = 1;
const TARGET_MS = 2000;
const TARGET_BYTES = 5 * 1024 * 1024;

function flagValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}: expected a whole number of at least 1, got "${process.argv[i + 1]}"`);
  return value;
}
const RUNS = flagValue('--runs', 3);

/** Median render time and the size of the HTML, checked against the targets. */
function measure(render: () => string): { render_ms: number; cold_ms: number; bytes: number; within_time: boolean; within_size: boolean } {
  let bytes = 0;
  const timing = timeRepeated(() => {
    const started = performance.now();
    const html = render();
    const ms = performance.now() - started;
    bytes = Buffer.byteLength(html, 'utf8');
    return { ms };
  }, RUNS);
  return {
    render_ms: round(timing.median.ms, 1),
    cold_ms: round(timing.cold.ms, 1),
    bytes,
    within_time: timing.median.ms < TARGET_MS,
    within_size: bytes < TARGET_BYTES,
  };
}

const results = POPULATIONS.map((n) => {
  process.stderr.write(`${n} people: clustering and forming teams…\n`);
  const profiles = toProfileSet(generateSynthetic('separated', n, DATA_SEED));
  const clustering = clusterProfiles(profiles, { method: 'kmeans', clusters: 4, seed: 42, stabilityRuns: 0 });
  const teams = {
    ...clustering,
    ...formTeams(
      profiles,
      Int32Array.from(clustering.assignments, (a) => a.cluster),
      { teamSize: [5, 7], seed: 42 },
    ),
  };
  const plain: ReportOptions = { people: profiles };
  const anonymised: ReportOptions = { people: profiles, anonymise: { salt: 'bench' } };
  process.stderr.write(`${n} people: rendering…\n`);
  return {
    n,
    teams: teams.teams.length,
    clustering: measure(() => renderClusteringReport(clustering, plain)),
    clustering_anonymised: measure(() => renderClusteringReport(clustering, anonymised)),
    teams_report: measure(() => renderTeamsReport(teams, plain)),
    teams_report_anonymised: measure(() => renderTeamsReport(teams, anonymised)),
  };
});

printJson({ benchmark: 'report', machine: machine(), runs: RUNS, targets: { render_ms: TARGET_MS, bytes: TARGET_BYTES }, results });
