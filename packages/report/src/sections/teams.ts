import type { Team } from '@insights/core';
import { h, type Markup } from '../html.js';
import { readClusterMix, readTeamBalance } from '../reading.js';
import type { TeamsResult } from '../types.js';
import { energyBalanceBar } from '../svg/bars.js';
import { markerIcon } from '../svg/markers.js';
import { people, type SectionContext } from './context.js';

/** Most teams flagged as least balanced. */
export const MAX_FLAGGED = 3;

/**
 * Ids of the teams to flag: the least balanced by the result's own balance score, one per four
 * teams (at least one, at most {@link MAX_FLAGGED}), and only those below the mean team balance,
 * so that equal teams flag nothing.
 */
export function flaggedTeams(teams: readonly Team[]): Set<number> {
  if (teams.length === 0) return new Set();
  const mean = teams.reduce((sum, t) => sum + t.balance, 0) / teams.length;
  const count = Math.min(MAX_FLAGGED, Math.max(1, Math.floor(teams.length / 4)));
  const worst = [...teams].sort((a, b) => a.balance - b.balance || a.id - b.id).slice(0, count);
  return new Set(worst.filter((t) => t.balance < mean - 1e-9).map((t) => t.id));
}

/** The team scores, the flagged teams, and one card per team. */
export function teamsSection(result: TeamsResult, context: SectionContext): Markup {
  const { score } = result;
  const flagged = flaggedTeams(result.teams);
  const clusterOf = new Map(result.assignments.map((a) => [a.employee_id, a.cluster]));
  const worst = result.teams.filter((t) => flagged.has(t.id)).sort((a, b) => a.balance - b.balance);
  return h(
    'section',
    { id: 'teams' },
    h('h2', {}, 'Teams'),
    h(
      'p',
      {},
      `${result.teams.length} teams. Balance is 1 when a team’s mean profile has all four energies equal, 0 for a single energy; ` +
        `the whole population’s balance, ${score.population_balance.toFixed(3)}, is what teams can reach on average. ` +
        `Mean team balance ${score.mean.toFixed(3)}, worst ${score.worst.toFixed(3)}. ` +
        `Cluster mix (share of the clusters that could be in a team that are): mean ${score.cluster_mix_mean.toFixed(2)}, worst ${score.cluster_mix_worst.toFixed(2)}.`,
    ),
    worst.length > 0
      ? h('p', {}, h('span', { class: 'flag' }, '⚑ Least balanced'), ' ', worst.map((t) => `Team ${t.id} (${t.balance.toFixed(3)})`).join(', '))
      : null,
    result.unassigned.length > 0
      ? h('p', {}, `Not placed in any team: ${result.unassigned.map((u) => `${context.name(u.employee_id)} (${u.reason})`).join(', ')}.`)
      : null,
    h('div', { class: 'cards' }, result.teams.map((team) => teamCard(team, flagged.has(team.id), clusterOf, score.population_balance, context))),
  );
}

function teamCard(team: Team, flagged: boolean, clusterOf: ReadonlyMap<string, number>, population: number, context: SectionContext): Markup {
  const counts = new Map<number, number>();
  for (const id of team.members) {
    const cluster = clusterOf.get(id);
    if (cluster !== undefined) counts.set(cluster, (counts.get(cluster) ?? 0) + 1);
  }
  const balance = readTeamBalance(team.balance, population);
  const mix = readClusterMix(team.cluster_mix);
  const e = team.energy_mean;
  return h(
    'article',
    { class: flagged ? 'card team flagged' : 'card team', 'data-team': team.id },
    h('h3', {}, `Team ${team.id}`, flagged ? [' ', h('span', { class: 'flag' }, '⚑ least balanced')] : null),
    h(
      'dl',
      {},
      h('dt', {}, 'Size'),
      h('dd', {}, people(team.size)),
      h('dt', {}, 'Energies'),
      h('dd', {}, energyBalanceBar(e, `Team ${team.id} energies: red ${e.red.toFixed(1)} %, blue ${e.blue.toFixed(1)} %, green ${e.green.toFixed(1)} %, yellow ${e.yellow.toFixed(1)} %`)),
      h('dt', {}, 'Balance'),
      h('dd', {}, `${team.balance.toFixed(3)} `, h('span', { class: `reading ${balance.tone}` }, balance.text)),
      h('dt', {}, 'Clusters'),
      h(
        'dd',
        {},
        [...counts].sort(([a], [b]) => a - b).map(([cluster, count]) => h('span', { class: 'mix', title: `cluster ${cluster}: ${people(count)}` }, markerIcon(cluster, 11), `${cluster}×${count}`)),
      ),
      h('dt', {}, 'Cluster mix'),
      h('dd', {}, `${team.cluster_mix.toFixed(2)} `, h('span', { class: `reading ${mix.tone}` }, mix.text)),
      h('dt', {}, 'Wheel types'),
      h('dd', {}, team.wheel_types.join(', ')),
    ),
    h('p', { class: 'members' }, h('strong', {}, 'Members: '), team.members.map(context.name).join(', ')),
  );
}
