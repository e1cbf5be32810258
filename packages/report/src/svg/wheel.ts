import { ENERGIES, WHEEL_TYPES, wheelPosition, type ClusterSummary, type Energy } from '@insights/core';
import { h, round, type Markup } from '../html.js';
import type { PlacedPerson } from '../people.js';
import { ENERGY_COLOURS, ENERGY_TINTS, markerDefs, type ClusterPalette } from './markers.js';

/** Size of the wheel's square viewBox, its centre and the radius of a pure single energy. */
const SIZE = 640;
const C = SIZE / 2;
const R = 210;
/** Room either side for the type labels. */
const PAD = 40;

/** Centre angle of each wheel type (degrees counter-clockwise from east), in WHEEL_TYPES order. */
const TYPE_ANGLES = [90, 45, 0, 315, 270, 225, 180, 135] as const;

/** The energies a type lies between, for its label's second line. */
const TYPE_ENERGIES = ['blue–red', 'red', 'red–yellow', 'yellow', 'yellow–green', 'green', 'green–blue', 'blue'] as const;

/** Where a point at `angle` degrees and wheel radius `radius` (0..1, or beyond for labels) lies in the viewBox. */
export function wheelPoint(angle: number, radius: number): { x: number; y: number } {
  const radians = (angle * Math.PI) / 180;
  return { x: round(C + R * radius * Math.cos(radians)), y: round(C - R * radius * Math.sin(radians)) };
}

/** What the wheel draws. */
export interface WheelInput {
  people: readonly PlacedPerson[];
  clusters: readonly ClusterSummary[];
  /** How an employee_id is shown (itself, or its pseudonym). */
  name: (id: string) => string;
  /** Colour and shape of each cluster. */
  style: ClusterPalette;
}

/**
 * The Insights wheel as one SVG: the four energy quadrants (red top right, blue top left, green
 * bottom left, yellow bottom right, as the core places them), the eight type sectors labelled
 * with their energies as well as by colour, each person a marker in their cluster's colour and
 * shape with a tooltip, and each cluster's centroid as a large marker with its number.
 */
export function wheelSvg(input: WheelInput): Markup {
  const n = input.people.length;
  return h(
    'svg',
    { xmlns: 'http://www.w3.org/2000/svg', class: 'wheel', viewBox: `${-PAD} 0 ${SIZE + 2 * PAD} ${SIZE}`, role: 'img' },
    h('title', {}, `Insights wheel: ${n} ${n === 1 ? 'person' : 'people'} in ${input.clusters.length} clusters`),
    markerDefs(3.2, 11),
    background(),
    peopleLayer(input),
    centroidLayer(input.clusters, input.style),
  );
}

function background(): Markup {
  const quadrants = ENERGIES.map((energy: Energy, i) => {
    const start = [0, 90, 180, 270][i]!;
    const a = wheelPoint(start, 1);
    const b = wheelPoint(start + 90, 1);
    return h('path', { d: `M${C} ${C}L${a.x} ${a.y}A${R} ${R} 0 0 0 ${b.x} ${b.y}Z`, fill: ENERGY_TINTS[energy] });
  });
  const rings = [0.25, 0.5, 0.75, 1].map((r) => h('circle', { cx: C, cy: C, r: R * r }));
  const dividers = TYPE_ANGLES.map((centre) => {
    const p = wheelPoint(centre + 22.5, 1);
    return h('line', { x1: C, y1: C, x2: p.x, y2: p.y });
  });
  const energyMarks = ENERGIES.map((energy, i) => {
    const p = wheelPoint(45 + 90 * i, 1);
    return h('circle', { cx: p.x, cy: p.y, r: 7, fill: ENERGY_COLOURS[energy], stroke: '#fff', 'stroke-width': 2 });
  });
  const labels = WHEEL_TYPES.map((type, i) => {
    const angle = TYPE_ANGLES[i]!;
    const p = wheelPoint(angle, 1.12);
    const cos = Math.cos((angle * Math.PI) / 180);
    const anchor = cos > 0.3 ? 'start' : cos < -0.3 ? 'end' : 'middle';
    return h(
      'text',
      { x: p.x, y: p.y, 'text-anchor': anchor },
      h('tspan', { class: 'type' }, type),
      h('tspan', { x: p.x, dy: 14, class: 'energies' }, TYPE_ENERGIES[i]!),
    );
  });
  return h(
    'g',
    { class: 'background' },
    quadrants,
    h('g', { fill: 'none', stroke: '#999', 'stroke-width': 0.6, 'stroke-dasharray': '2 3' }, rings),
    h('g', { stroke: '#777', 'stroke-width': 0.8 }, dividers),
    energyMarks,
    h('g', { class: 'labels' }, labels),
    h('text', { x: C + 4, y: C + R * 0.5 - 3, class: 'scale' }, '0.5'),
    h('text', { x: C + 4, y: C + R - 3, class: 'scale' }, '1'),
  );
}

function peopleLayer(input: WheelInput): Markup {
  const byCluster = new Map<number, PlacedPerson[]>();
  for (const person of input.people) {
    const list = byCluster.get(person.cluster);
    if (list) list.push(person);
    else byCluster.set(person.cluster, [person]);
  }
  const groups = [...byCluster.keys()]
    .sort((a, b) => a - b)
    .map((cluster) => {
      const style = input.style(cluster);
      const marks = byCluster.get(cluster)!.map((p) => {
        const at = wheelPoint(p.angle, p.radius);
        return h('use', { href: `#${style.symbol}`, x: at.x, y: at.y }, h('title', {}, `${input.name(p.employee_id)} · cluster ${cluster} · ${p.type}`));
      });
      return h('g', { fill: style.colour, 'data-cluster': cluster }, marks);
    });
  return h('g', { class: 'people', stroke: '#222', 'stroke-width': 0.5, 'fill-opacity': 0.85 }, groups);
}

function centroidLayer(clusters: readonly ClusterSummary[], palette: ClusterPalette): Markup {
  const marks = clusters.map((c) => {
    const style = palette(c.id);
    const { red, blue, green, yellow } = c.centroid;
    const position = wheelPosition(red, blue, green, yellow);
    const at = wheelPoint(position.angle, position.radius);
    return h(
      'g',
      { class: 'centroid' },
      h('title', {}, `Cluster ${c.id} centre: ${c.size} people, ${c.wheel_type}`),
      h('use', { href: `#M${style.symbol.slice(1)}`, x: at.x, y: at.y, fill: style.colour }),
      h('text', { x: round(at.x + 14), y: round(at.y + 5) }, String(c.id)),
    );
  });
  return h('g', { class: 'centroids', stroke: '#000', 'stroke-width': 2 }, marks);
}
