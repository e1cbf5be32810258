/**
 * Writes a synthetic population as an input CSV, for the whole-command benchmarks.
 * SYNTHETIC DATA: these are not real people.
 *
 * Run: npx tsx bench/make-csv.ts OUT [N=100000] [SCENARIO=separated] [SEED=1]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SYNTHETIC_SCENARIOS, generateSynthetic, type SyntheticScenario } from '../packages/core/src/index.ts';
import { populationToCsv } from './lib/population.ts';

const [out, n = '100000', scenario = 'separated', seed = '1'] = process.argv.slice(2);
if (!out || !Number.isInteger(Number(n)) || Number(n) < 1 || !SYNTHETIC_SCENARIOS.includes(scenario as SyntheticScenario)) {
  process.stderr.write(`usage: npx tsx bench/make-csv.ts OUT [N] [${SYNTHETIC_SCENARIOS.join('|')}] [SEED]\n`);
  process.exit(2);
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, populationToCsv(generateSynthetic(scenario as SyntheticScenario, Number(n), Number(seed))));
