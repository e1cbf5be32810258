import type { ClusterSummary } from '@insights/core';
import { h, type Markup } from '../html.js';
import type { Placement } from '../people.js';
import { markerIcon } from '../svg/markers.js';
import { wheelSvg } from '../svg/wheel.js';
import { people, type SectionContext } from './context.js';

/** The Insights wheel with its legend, and a note on anyone who could not be placed. */
export function wheelSection(placement: Placement, clusters: readonly ClusterSummary[], context: SectionContext): Markup {
  const { placed, missing } = placement;
  return h(
    'section',
    { class: 'page', id: 'wheel' },
    h('h2', {}, 'The Insights wheel'),
    h(
      'p',
      {},
      'Each mark is one person, placed by the balance of their four energies: the direction says which energies lead, ' +
        'the distance from the centre how pronounced the profile is (centre: all four equal; rim: a single energy). ' +
        'Colour and shape give the cluster; large numbered marks are the cluster centres. Hover a mark for who it is.',
    ),
    wheelSvg({ people: placed, clusters, name: context.name, style: context.style }),
    h(
      'ul',
      { class: 'legend' },
      clusters.map((c) => h('li', {}, markerIcon(c.id), `Cluster ${c.id}: ${people(c.size)}, ${c.wheel_type}`)),
    ),
    missing > 0
      ? h(
          'p',
          { class: 'note' },
          placed.length === 0
            ? `The energies of the ${people(missing)} were not available to this report, so only the cluster centres are drawn.`
            : `${people(missing)} could not be placed: their energies were not available to this report.`,
        )
      : null,
  );
}
