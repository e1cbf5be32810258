/**
 * Writes examples/people.csv: 300 SYNTHETIC people (not real people, no real names) with the
 * columns the CLI and API read, plus name, department and site as metadata. Deterministic: the
 * same seed always writes the same file.
 *
 * Run: npx tsx examples/generate-sample.ts [OUT=examples/people.csv]
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateSynthetic, randomStream } from '../packages/core/src/index.ts';

const PEOPLE = 300;
const SEED = 2024;
const DEPARTMENTS = ['Engineering', 'Sales', 'Finance', 'Operations', 'People'] as const;
const SITES = ['Leeds', 'Lyon', 'Porto'] as const;
const HEADER = 'employee_id,name,department,site,red_energy,blue_energy,green_energy,yellow_energy';

/** Energies from the `unequal` scenario: four archetypes in shares of about 55/25/14/6 %. */
function sampleCsv(): string {
  const population = generateSynthetic('unequal', PEOPLE, SEED);
  const lines = [HEADER];
  for (let i = 0; i < PEOPLE; i++) {
    const number = String(i + 1).padStart(3, '0');
    const id = `E${number}`;
    // Each person's own stream, so department and site do not depend on anyone else's row.
    const stream = randomStream(SEED, `sample-metadata:${id}`);
    const department = DEPARTMENTS[stream.int(DEPARTMENTS.length)]!;
    const site = SITES[stream.int(SITES.length)]!;
    const energies = Array.from(population.energies.subarray(i * 4, i * 4 + 4), (e) => e.toFixed(1));
    lines.push([id, `Person ${number}`, department, site, ...energies].join(','));
  }
  return `${lines.join('\n')}\n`;
}

const out = process.argv[2] ?? fileURLToPath(new URL('./people.csv', import.meta.url));
writeFileSync(out, sampleCsv());
