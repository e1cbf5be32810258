import type { ClusteringResult, ClusterSummary, Energy } from '@insights/core';
import { h, type Markup } from '../html.js';
import { energyBars } from '../svg/bars.js';
import { markerIcon } from '../svg/markers.js';
import { people, percent } from './context.js';

const NAMES: Readonly<Record<Energy, string>> = { red: 'Red', blue: 'Blue', green: 'Green', yellow: 'Yellow' };

/** One card per cluster: size and share, dominant and secondary energy, wheel type, centroid bars. */
export function clustersSection(result: ClusteringResult): Markup {
  return h(
    'section',
    { class: 'page', id: 'clusters' },
    h('h2', {}, 'Clusters'),
    h(
      'p',
      {},
      'Each cluster’s centre is the mean energy profile of its members. The dashed line in each chart is 25 %, ' +
        'where all four energies would be equal.',
    ),
    h('div', { class: 'cards' }, result.clusters.map((c) => clusterCard(c, result.n))),
  );
}

function clusterCard(cluster: ClusterSummary, n: number): Markup {
  return h(
    'article',
    { class: 'card cluster', 'data-cluster': cluster.id },
    h('h3', {}, markerIcon(cluster.id, 14), `Cluster ${cluster.id}`),
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
