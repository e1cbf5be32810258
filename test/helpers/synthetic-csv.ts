import { generateSynthetic, type SyntheticScenario } from '@insights/core';

/** A CSV of synthetic people, as the producer and the CLI read it. */
export function syntheticCsv(n: number, seed = 7, scenario: SyntheticScenario = 'separated'): string {
  const population = generateSynthetic(scenario, n, seed);
  const lines = ['employee_id,red_energy,blue_energy,green_energy,yellow_energy'];
  for (let i = 0; i < n; i++) {
    const energies = Array.from(population.energies.subarray(i * 4, i * 4 + 4), (v) => v.toFixed(2));
    lines.push(`${population.ids[i]},${energies.join(',')}`);
  }
  return `${lines.join('\n')}\n`;
}
