import { ENERGY_COLUMNS, ID_COLUMN, parseProfilesCsv, type ProfileSet } from '../../packages/core/src/index.ts';

/** People with raw energies, as `generateSynthetic` returns them: 4 per person, red, blue, green, yellow. */
export interface Population {
  readonly ids: readonly string[];
  readonly energies: Float64Array;
}

/** Quotes a CSV field only when it needs it (delimiter, quote or line break inside). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Writes a population as the CSV the CLI and the API read: `employee_id` and the four energy
 * columns, then any extra columns, one string per person each. Energies are written in full
 * precision so that parsing the text back loses nothing.
 */
export function populationToCsv(population: Population, extra: Readonly<Record<string, readonly string[]>> = {}): string {
  const extraNames = Object.keys(extra);
  const lines = [[ID_COLUMN, ...ENERGY_COLUMNS, ...extraNames].map(csvField).join(',')];
  const { ids, energies } = population;
  for (let i = 0; i < ids.length; i++) {
    const fields = [csvField(ids[i]!)];
    for (let c = 0; c < 4; c++) fields.push(String(energies[i * 4 + c]));
    for (const name of extraNames) fields.push(csvField(extra[name]![i] ?? ''));
    lines.push(fields.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Turns a population into a validated, normalised ProfileSet through the same CSV reader real
 * input goes through, so a benchmark sees exactly what `insights cluster FILE` would.
 */
export function toProfileSet(population: Population): ProfileSet {
  return parseProfilesCsv(populationToCsv(population));
}
