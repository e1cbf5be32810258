import { Option, type Command } from 'commander';
import { assign, type ClusteringModel, type Placement } from '@insights/core';
import { UsageError } from '../errors.js';
import { csvField } from '../format/csv.js';
import { readInput } from '../read-input.js';
import { loadProfiles } from './cluster.js';

/** Output formats of `insights assign`. */
export const ASSIGN_FORMATS = ['json', 'table', 'csv'] as const;
type AssignFormat = (typeof ASSIGN_FORMATS)[number];

interface AssignFlags {
  model: string;
  format: AssignFormat;
  borderline: string;
  skipInvalid?: boolean;
}

/** The model of a result file (`insights cluster --format json`), or a bare model. */
export async function readModel(file: string): Promise<ClusteringModel> {
  const text = await readInput(file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--model ${file}: not JSON (expected the output of insights cluster --format json)`, { cause: error });
  }
  const model = parsed !== null && typeof parsed === 'object' && 'model' in parsed ? (parsed as { model: unknown }).model : parsed;
  if (model === null || typeof model !== 'object' || !('version' in model)) {
    throw new UsageError(`--model ${file}: holds no clustering model (results written before models were stored cannot place people)`);
  }
  return model as ClusteringModel;
}

/** The placements in the chosen format. */
export function formatPlacements(placements: readonly Placement[], format: AssignFormat): string {
  if (format === 'json') return `${JSON.stringify({ assignments: placements, borderline: placements.filter((p) => p.borderline).length }, null, 2)}\n`;
  if (format === 'csv') {
    const lines = ['employee_id,cluster,distance,margin,borderline'];
    for (const p of placements) lines.push(`${csvField(p.employee_id)},${p.cluster},${p.distance},${p.margin},${p.borderline}`);
    return `${lines.join('\n')}\n`;
  }
  const header = ['employee_id', 'cluster', 'distance', 'margin', ''];
  const rows = placements.map((p) => [p.employee_id, String(p.cluster), p.distance.toFixed(3), p.margin.toFixed(3), p.borderline ? 'borderline' : '']);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  const borderline = placements.filter((p) => p.borderline).length;
  return `${[line(header), ...rows.map(line)].join('\n')}\n\n${placements.length} placed, ${borderline} borderline\n`;
}

/** `insights assign --model RESULT.json FILE|-`: places new people into an existing clustering. */
export function registerAssignCommand(program: Command): void {
  program
    .command('assign')
    .description('place the people of a CSV or JSON file into the clusters of an earlier result, as that run placed its own members')
    .argument('<file>', 'CSV or JSON file of profiles, or - for standard input')
    .requiredOption('--model <result>', 'a result of insights cluster --format json (or its model alone)')
    .option('--borderline <ratio>', 'flag a person whose margin is below this share of the distance to the next cluster (0–1)', '0.1')
    .option('--skip-invalid', 'leave invalid rows out, instead of failing')
    .addOption(new Option('--format <format>', 'output format').choices(ASSIGN_FORMATS).default('table'))
    .action(async (file: string, flags: AssignFlags) => {
      const ratio = Number(flags.borderline);
      if (!/^\d*\.?\d+$/.test(flags.borderline.trim()) || !(ratio >= 0 && ratio <= 1)) {
        throw new UsageError(`--borderline: expected a number from 0 to 1, got "${flags.borderline}"`);
      }
      const model = await readModel(flags.model);
      const { profiles } = await loadProfiles(file, flags.skipInvalid ?? false);
      process.stdout.write(formatPlacements(assign(model, profiles, { borderlineRatio: ratio }), flags.format));
    });
}
