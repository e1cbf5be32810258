import type { ClusteringResult, ClusterSummary, Energy } from '@insights/core';
import { h, type Markup } from '../html.js';
import { energyBars } from '../svg/bars.js';
import { markerIcon } from '../svg/markers.js';
import { clusterName, people, percent, type SectionContext } from './context.js';

/**
 * Most members a cluster card lists by name: past this the list would outweigh the rest of the
 * report, and the CSV output (`--format csv`) is the better place to read who is where.
 */
const MAX_LISTED_MEMBERS = 5000;

const NAMES: Readonly<Record<Energy, string>> = { red: 'Red', blue: 'Blue', green: 'Green', yellow: 'Yellow' };

/**
 * One card per cluster: size and share, dominant and secondary energy, wheel type, centroid bars,
 * and its members (folded away until opened).
 */
export function clustersSection(result: ClusteringResult, context: SectionContext): Markup {
  const members = new Map<number, string[]>(result.clusters.map((c) => [c.id, []]));
  for (const a of result.assignments) members.get(a.cluster)?.push(a.employee_id);
  return h(
    'section',
    { class: 'page', id: 'clusters' },
    h('h2', {}, 'Clusters'),
    h(
      'p',
      {},
      'Each cluster’s centre is the mean energy profile of its members. The dashed line in each chart is 25 %, ' + 'where all four energies would be equal.',
    ),
    h(
      'div',
      { class: 'cards' },
      result.clusters.map((c) => clusterCard(c, result.n, members.get(c.id) ?? [], context)),
    ),
  );
}

function clusterCard(cluster: ClusterSummary, n: number, members: readonly string[], context: SectionContext): Markup {
  return h(
    'article',
    { class: 'card cluster', id: `cluster-${cluster.id}`, 'data-cluster': cluster.id },
    h('h3', {}, markerIcon(cluster.id, 14), clusterName(cluster)),
    h(
      'dl',
      {},
      h('dt', {}, 'Size'),
      h('dd', {}, `${people(cluster.size)} (${percent(cluster.size, n)})`),
      h('dt', {}, 'Dominant energy'),
      h('dd', {}, `${NAMES[cluster.dominant]}, then ${NAMES[cluster.secondary].toLowerCase()}`),
      h('dt', {}, 'Wheel type'),
      h('dd', {}, `${cluster.wheel_type} (${pronounced(cluster.wheel_radius)}, radius ${cluster.wheel_radius.toFixed(2)})`),
    ),
    energyBars(cluster.centroid, `Cluster ${cluster.id} centre: ${energyList(cluster.centroid)}`),
    memberList(members, context),
  );
}

function memberList(members: readonly string[], context: SectionContext): Markup {
  const listed = members.length <= MAX_LISTED_MEMBERS;
  return h(
    'details',
    { class: 'members' },
    h('summary', {}, `Members (${members.length})`),
    listed
      ? h('p', {}, members.map(context.name).join(', '))
      : h('p', { class: 'note' }, `${people(members.length)}: too many to list here; --format csv lists everyone with their cluster.`),
  );
}

/** How far from the centre of the wheel a profile sits, in words. */
function pronounced(radius: number): string {
  if (radius < 0.15) return 'near the centre: balanced';
  if (radius < 0.35) return 'moderately pronounced';
  return 'strongly pronounced';
}

function energyList(centroid: Readonly<Record<Energy, number>>): string {
  return (Object.keys(NAMES) as Energy[]).map((e) => `${e} ${centroid[e].toFixed(1)} %`).join(', ');
}
