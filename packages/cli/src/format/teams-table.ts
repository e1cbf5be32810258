import type { ClusteringResult, TeamFormationResult } from '@insights/core';
import { formatClusteringTable, renderTable } from './table.js';

/** How many of the least balanced teams are flagged. */
const FLAGGED = 3;

/** Teams as a manager reads them: one block per team, the least balanced flagged. */
export function formatTeamsTable(output: ClusteringResult & TeamFormationResult): string {
  const out: string[] = [formatClusteringTable(output).trimEnd(), ''];
  const { score } = output;
  out.push(
    `${output.teams.length} teams · balance mean ${score.mean.toFixed(3)}, worst ${score.worst.toFixed(3)} ` +
      `(the population as a whole: ${score.population_balance.toFixed(3)}) · cluster mix mean ${score.cluster_mix_mean.toFixed(2)}, worst ${score.cluster_mix_worst.toFixed(2)}`,
  );
  const flagged = new Set(
    [...output.teams]
      .sort((a, b) => a.balance - b.balance)
      .slice(0, FLAGGED)
      .map((t) => t.id),
  );
  out.push('');
  out.push(
    renderTable(
      ['Team', 'People', 'Red %', 'Blue %', 'Green %', 'Yellow %', 'Balance', 'Mix', 'Wheel types', ''],
      output.teams.map((t) => [
        String(t.id),
        String(t.size),
        t.energy_mean.red.toFixed(1),
        t.energy_mean.blue.toFixed(1),
        t.energy_mean.green.toFixed(1),
        t.energy_mean.yellow.toFixed(1),
        t.balance.toFixed(3),
        t.cluster_mix.toFixed(2),
        t.wheel_types.join(', '),
        flagged.has(t.id) ? '← least balanced' : '',
      ]),
      [true, true, true, true, true, true, true, true, false, false],
    ),
  );
  out.push('');
  for (const t of output.teams) out.push(`Team ${t.id}: ${t.members.join(', ')}`);
  return `${out.join('\n')}\n`;
}
