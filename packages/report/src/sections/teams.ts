import type { ClusterSummary, Team } from '@insights/core';
import { h, type Markup } from '../html.js';
import { readClusterMix, readTeamBalance } from '../reading.js';
import type { TeamsResult } from '../types.js';
import { energyBalanceBar } from '../svg/bars.js';
import { markerIcon } from '../svg/markers.js';
import { clusterName, people, type SectionContext } from './context.js';

/** Most flagged teams the summary names one by one; the rest are counted. */
const MAX_NAMED_FLAGS = 5;

/**
 * Smallest gap below the median team balance that counts as measurably worse: balance is read to
 * three decimals, and a hundredth is well below what a person notices in a team's make-up.
 */
const MIN_FLAG_GAP = 0.01;

/**
 * Ids of the teams measurably less balanced than the rest: below the median team balance by more
 * than {@link MIN_FLAG_GAP} and by more than three robust standard deviations (1.4826 × the median
 * absolute deviation), so a team at 0.803 among teams at 0.805 is not singled out, while one
 * clearly behind a tight field is.
 */
export function flaggedTeams(teams: readonly Team[]): Set<number> {
  if (teams.length < 2) return new Set();
  const median = medianOf(teams.map((t) => t.balance));
  const spread = 1.4826 * medianOf(teams.map((t) => Math.abs(t.balance - median)));
  const threshold = median - Math.max(MIN_FLAG_GAP, 3 * spread);
  return new Set(teams.filter((t) => t.balance < threshold).map((t) => t.id));
}

function medianOf(values: number[]): number {
  const sorted = values.sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Anchor of a team's card, for the overview table and links. */
function teamAnchor(id: number): string {
  return `team-${id}`;
}

/** The team scores, the flagged teams, an overview table of every team, and one card per team. */
export function teamsSection(result: TeamsResult, context: SectionContext): Markup {
  const { score } = result;
  const flagged = flaggedTeams(result.teams);
  const clusterOf = new Map(result.assignments.map((a) => [a.employee_id, a.cluster]));
  const clusters = new Map(result.clusters.map((c) => [c.id, c]));
  const worst = result.teams.filter((t) => flagged.has(t.id)).sort((a, b) => a.balance - b.balance || a.id - b.id);
  const teams = result.teams.map((team) => ({ team, counts: clusterCounts(team, clusterOf), flagged: flagged.has(team.id) }));
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
    flagSummary(worst),
    result.unassigned.length > 0
      ? h('p', {}, `Not placed in any team: ${result.unassigned.map((u) => `${context.name(u.employee_id)} (${u.reason})`).join(', ')}.`)
      : null,
    overviewTable(teams, clusters, context),
    h('h3', { id: 'team-cards' }, 'Team cards'),
    h(
      'div',
      { class: 'cards' },
      teams.map(({ team, counts, flagged: isFlagged }) => teamCard(team, isFlagged, counts, clusters, score.population_balance, context)),
    ),
  );
}

function flagSummary(worst: readonly Team[]): Markup {
  if (worst.length === 0) return h('p', {}, 'No team is measurably less balanced than the others.');
  const named = worst.slice(0, MAX_NAMED_FLAGS).map((t) => `Team ${t.id} (${t.balance.toFixed(3)})`);
  const more = worst.length - named.length;
  return h(
    'p',
    {},
    h('span', { class: 'flag' }, '⚑ Least balanced'),
    ' ',
    named.join(', '),
    more > 0 ? ` and ${more} more` : '',
    ': measurably below the other teams’ balance.',
  );
}

/** Members of a team per cluster, by cluster id. */
function clusterCounts(team: Team, clusterOf: ReadonlyMap<string, number>): [number, number][] {
  const counts = new Map<number, number>();
  for (const id of team.members) {
    const cluster = clusterOf.get(id);
    if (cluster !== undefined) counts.set(cluster, (counts.get(cluster) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => a - b);
}

interface TeamRow {
  team: Team;
  counts: [number, number][];
  flagged: boolean;
}

/**
 * One row per team, linking to its card: size, balance, the four energies as numbers, the cluster
 * mix and (with a spread column) the spread, so that a large formation can be read at a glance.
 */
function overviewTable(rows: readonly TeamRow[], clusters: ReadonlyMap<number, ClusterSummary>, context: SectionContext): Markup {
  const spread = rows.some((r) => r.team.spread !== undefined);
  return h(
    'table',
    { class: 'overview', id: 'team-overview' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'Team'),
        h('th', { class: 'num' }, 'Size'),
        h('th', { class: 'num' }, 'Balance'),
        h('th', { class: 'num' }, 'Red'),
        h('th', { class: 'num' }, 'Blue'),
        h('th', { class: 'num' }, 'Green'),
        h('th', { class: 'num' }, 'Yellow'),
        h('th', {}, 'Clusters'),
        spread ? h('th', {}, 'Spread') : null,
      ),
    ),
    h(
      'tbody',
      {},
      rows.map(({ team, counts, flagged }) =>
        h(
          'tr',
          { class: flagged ? 'flagged' : null, 'data-filter': filterText(team, counts, clusters, context) },
          h('td', {}, h('a', { href: `#${teamAnchor(team.id)}` }, `Team ${team.id}`), flagged ? [' ', h('span', { class: 'flag' }, '⚑')] : null),
          h('td', { class: 'num' }, team.size),
          h('td', { class: 'num' }, team.balance.toFixed(3)),
          h('td', { class: 'num' }, team.energy_mean.red.toFixed(1)),
          h('td', { class: 'num' }, team.energy_mean.blue.toFixed(1)),
          h('td', { class: 'num' }, team.energy_mean.green.toFixed(1)),
          h('td', { class: 'num' }, team.energy_mean.yellow.toFixed(1)),
          h(
            'td',
            {},
            counts.map(([cluster, count]) => h('span', { class: 'mix', title: clusterTitle(cluster, clusters) }, markerIcon(cluster, 11), `${count}`)),
          ),
          spread ? h('td', {}, spreadText(team.spread)) : null,
        ),
      ),
    ),
  );
}

/** What the filter box matches a team on: its number, its members as shown, its clusters' names and its spread values. */
function filterText(team: Team, counts: readonly [number, number][], clusters: ReadonlyMap<number, ClusterSummary>, context: SectionContext): string {
  const parts = [`team ${team.id}`, ...team.members.map(context.name), ...counts.map(([c]) => clusterTitle(c, clusters))];
  if (team.spread !== undefined) parts.push(...Object.keys(team.spread));
  return parts.join(' | ').toLowerCase();
}

function clusterTitle(id: number, clusters: ReadonlyMap<number, ClusterSummary>): string {
  const cluster = clusters.get(id);
  return cluster === undefined ? `Cluster ${id}` : clusterName(cluster);
}

/** "Sales 2, Finance 1": members per value of the spread column, most first. */
function spreadText(spread: Readonly<Record<string, number>> | undefined): string {
  if (spread === undefined) return '';
  return Object.entries(spread)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([value, count]) => `${value === '' ? '(blank)' : value} ${count}`)
    .join(', ');
}

function teamCard(
  team: Team,
  flagged: boolean,
  counts: readonly [number, number][],
  clusters: ReadonlyMap<number, ClusterSummary>,
  population: number,
  context: SectionContext,
): Markup {
  const balance = readTeamBalance(team.balance, population);
  const mix = readClusterMix(team.cluster_mix);
  const e = team.energy_mean;
  const energies = `red ${e.red.toFixed(1)} %, blue ${e.blue.toFixed(1)} %, green ${e.green.toFixed(1)} %, yellow ${e.yellow.toFixed(1)} %`;
  return h(
    'article',
    {
      class: flagged ? 'card team flagged' : 'card team',
      id: teamAnchor(team.id),
      'data-team': team.id,
      'data-filter': filterText(team, counts, clusters, context),
    },
    h('h3', {}, `Team ${team.id}`, flagged ? [' ', h('span', { class: 'flag' }, '⚑ least balanced')] : null),
    h(
      'dl',
      {},
      h('dt', {}, 'Size'),
      h('dd', {}, people(team.size)),
      h('dt', {}, 'Energies'),
      h('dd', {}, energyBalanceBar(e, `Team ${team.id} energies: ${energies}`), h('span', { class: 'numbers' }, energies)),
      h('dt', {}, 'Balance'),
      h('dd', {}, `${team.balance.toFixed(3)} `, h('span', { class: `reading ${balance.tone}` }, balance.text)),
      h('dt', {}, 'Clusters'),
      h(
        'dd',
        {},
        counts.map(([cluster, count]) => h('span', { class: 'mix' }, markerIcon(cluster, 11), `${count} × ${clusterTitle(cluster, clusters)}`)),
      ),
      h('dt', {}, 'Cluster mix'),
      h('dd', {}, `${team.cluster_mix.toFixed(2)} `, h('span', { class: `reading ${mix.tone}` }, mix.text)),
      team.spread !== undefined ? [h('dt', {}, 'Spread'), h('dd', {}, spreadText(team.spread))] : null,
      h('dt', {}, 'Wheel types'),
      h('dd', {}, team.wheel_types.join(', ')),
    ),
    h('p', { class: 'members' }, h('strong', {}, 'Members: '), team.members.map(context.name).join(', ')),
  );
}
