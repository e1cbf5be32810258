import type { Energy } from '@insights/core';
import { h, type Markup } from '../html.js';

/** The four Insights energy colours, kept for energies only (never for clusters). */
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
 * Cluster colours: the Okabe–Ito palette (Okabe & Ito 2008), which stays distinguishable under the
 * common colour-vision deficiencies, ordered so the first clusters avoid its yellow.
 */
export const CLUSTER_COLOURS = ['#e69f00', '#56b4e9', '#009e73', '#cc79a7', '#d55e00', '#0072b2', '#f0e442', '#000000'] as const;

/** Marker shapes, the second cue after colour. */
export const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'triangle-down', 'pentagon', 'hexagon', 'star'] as const;
export type Shape = (typeof SHAPES)[number];

/** How a cluster is drawn: its colour, its shape, and the id of the shape's symbol. */
export interface ClusterStyle {
  colour: string;
  shape: Shape;
  /** Id of the marker definition that `<use>` refers to (`m` + shape index). */
  symbol: string;
}

/**
 * Style of cluster `id`: colour `id mod 8` and a shape offset by `⌊id / 8⌋`, so that every cluster
 * up to 64 differs from every other in colour, shape or both, and the first eight in both.
 */
export function clusterStyle(id: number): ClusterStyle {
  const colour = CLUSTER_COLOURS[id % CLUSTER_COLOURS.length]!;
  const shapeIndex = (id + Math.floor(id / SHAPES.length)) % SHAPES.length;
  return { colour, shape: SHAPES[shapeIndex]!, symbol: `m${shapeIndex}` };
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
export function iconDefs(clusters: readonly number[]): Markup {
  return h(
    'svg',
    { xmlns: 'http://www.w3.org/2000/svg', class: 'icon-defs', width: 0, height: 0, 'aria-hidden': 'true' },
    h(
      'defs',
      {},
      clusters.map((id) => {
        const style = clusterStyle(id);
        return h('path', { id: iconId(id), d: shapePath(style.shape, 5), fill: style.colour, stroke: '#222', 'stroke-width': 0.8 });
      }),
    ),
  );
}

/** A cluster's legend icon (its shape in its colour), `size` pixels square; needs {@link iconDefs} in the document. */
export function markerIcon(id: number, size = 12): Markup {
  return h('svg', { class: 'icon', width: size, height: size, viewBox: '-6 -6 12 12', 'aria-hidden': 'true' }, h('use', { href: `#${iconId(id)}` }));
}
