import type { Energy } from '@insights/core';
import { h, type Markup } from '../html.js';

/** The four Insights energy colours. */
export const ENERGY_COLOURS: Readonly<Record<Energy, string>> = {
  red: '#c8102e',
  blue: '#0057b8',
  green: '#00843d',
  yellow: '#f2c500',
};

/** Pale tints of the energy colours, for the wheel's quadrants. */
export const ENERGY_TINTS: Readonly<Record<Energy, string>> = {
  red: '#f9dde1',
  blue: '#dbe7f6',
  green: '#dcefe3',
  yellow: '#fcf3cc',
};

/**
 * Shades of each energy colour for clusters, the energy's own colour first: a cluster is drawn in
 * the colour of its dominant energy, as Insights practitioners read the wheel, and clusters that
 * share a dominant energy take the next shade (darker, lighter, darkest). Shapes stay the second
 * cue, so two clusters are never told apart by shade alone.
 */
export const CLUSTER_SHADES: Readonly<Record<Energy, readonly string[]>> = {
  red: ['#c8102e', '#7a0a1c', '#ec7a8a', '#43040f'],
  blue: ['#0057b8', '#002f63', '#79aee6', '#00172f'],
  green: ['#00843d', '#00451f', '#6cc495', '#00240f'],
  yellow: ['#f2c500', '#9c7f00', '#fbe17a', '#574600'],
};

/** Marker shapes, the second cue after colour. */
export const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'triangle-down', 'pentagon', 'hexagon', 'star'] as const;
export type Shape = (typeof SHAPES)[number];

/** How a cluster is drawn: its colour, its shape, and the id of the shape's symbol. */
interface ClusterStyle {
  colour: string;
  shape: Shape;
  /** Id of the marker definition that `<use>` refers to (`m` + shape index). */
  symbol: string;
}

/** The style of each cluster of one result, by cluster id. */
export type ClusterPalette = (id: number) => ClusterStyle;

/** Shape of cluster `id`: one of eight, so that every cluster up to 8 has its own. */
function clusterShape(id: number): { shape: Shape; symbol: string } {
  const shapeIndex = (id + Math.floor(id / SHAPES.length)) % SHAPES.length;
  return { shape: SHAPES[shapeIndex]!, symbol: `m${shapeIndex}` };
}

/**
 * The palette of a result's clusters: each in the colour of its dominant energy (shaded apart when
 * several share one, in id order) and a shape of its own. A cluster id the result does not hold
 * gets a neutral grey, so a stale id can never borrow another cluster's colour.
 */
export function clusterPalette(clusters: readonly { id: number; dominant: Energy }[]): ClusterPalette {
  const styles = new Map<number, ClusterStyle>();
  const used: Record<Energy, number> = { red: 0, blue: 0, green: 0, yellow: 0 };
  for (const cluster of [...clusters].sort((a, b) => a.id - b.id)) {
    const shades = CLUSTER_SHADES[cluster.dominant];
    const colour = shades[used[cluster.dominant]++ % shades.length]!;
    styles.set(cluster.id, { colour, ...clusterShape(cluster.id) });
  }
  return (id) => styles.get(id) ?? { colour: '#8c8c8c', ...clusterShape(id) };
}

/** Outline of a shape of radius about 1, centred on the origin, as path data scaled by `size`. */
export function shapePath(shape: Shape, size: number): string {
  const points = (count: number, rotation: number, inner?: number): string => {
    const corners = inner === undefined ? count : count * 2;
    const out: string[] = [];
    for (let i = 0; i < corners; i++) {
      const radius = inner !== undefined && i % 2 === 1 ? inner * size : size;
      const angle = rotation + (i * 2 * Math.PI) / corners;
      out.push(`${fix(radius * Math.cos(angle))} ${fix(radius * Math.sin(angle))}`);
    }
    return `M${out.join('L')}Z`;
  };
  switch (shape) {
    case 'circle':
      return `M${fix(-size)} 0a${fix(size)} ${fix(size)} 0 1 0 ${fix(2 * size)} 0a${fix(size)} ${fix(size)} 0 1 0 ${fix(-2 * size)} 0Z`;
    case 'square':
      return points(4, Math.PI / 4);
    case 'triangle':
      return points(3, -Math.PI / 2);
    case 'diamond':
      return points(4, 0);
    case 'triangle-down':
      return points(3, Math.PI / 2);
    case 'pentagon':
      return points(5, -Math.PI / 2);
    case 'hexagon':
      return points(6, 0);
    case 'star':
      return points(5, -Math.PI / 2, 0.45);
  }
}

function fix(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * `<defs>` holding one path per shape, ids `m0`…`m7` (and `M0`…`M7` at centroid size), so that
 * each person is one short `<use>`.
 */
export function markerDefs(dotSize: number, centroidSize: number): Markup {
  return h(
    'defs',
    {},
    SHAPES.map((shape, i) => h('path', { id: `m${i}`, d: shapePath(shape, dotSize) })),
    SHAPES.map((shape, i) => h('path', { id: `M${i}`, d: shapePath(shape, centroidSize) })),
  );
}

/** Id of a cluster's legend icon in {@link iconDefs}. */
function iconId(cluster: number): string {
  return `k${cluster}`;
}

/**
 * A hidden SVG defining one legend icon per cluster (its shape, filled in its colour), ids
 * `k0`, `k1`, …, so that each icon in the report is a short `<use>` instead of a copy of the path.
 * Place it once per document, before any {@link markerIcon}.
 */
export function iconDefs(clusters: readonly number[], palette: ClusterPalette): Markup {
  return h(
    'svg',
    { xmlns: 'http://www.w3.org/2000/svg', class: 'icon-defs', width: 0, height: 0, 'aria-hidden': 'true' },
    h(
      'defs',
      {},
      clusters.map((id) => {
        const style = palette(id);
        return h('path', { id: iconId(id), d: shapePath(style.shape, 5), fill: style.colour, stroke: '#222', 'stroke-width': 0.8 });
      }),
    ),
  );
}

/** A cluster's legend icon (its shape in its colour), `size` pixels square; needs {@link iconDefs} in the document. */
export function markerIcon(id: number, size = 12): Markup {
  return h('svg', { class: 'icon', width: size, height: size, viewBox: '-6 -6 12 12', 'aria-hidden': 'true' }, h('use', { href: `#${iconId(id)}` }));
}
