import type { AutoKPoint } from '@insights/core';
import { h, round, type Markup } from '../html.js';
import { shapePath } from './markers.js';

const WIDTH = 420;
const HEIGHT = 220;
const LEFT = 40;
const RIGHT = 110;
const TOP = 12;
const BOTTOM = 34;

/** Series of the auto-k chart: colour, dash and marker shape, so each is told apart without colour. */
const SERIES = [
  { key: 'silhouette', label: 'silhouette', colour: '#0072b2', dash: null, shape: 'circle' },
  { key: 'stability', label: 'stability', colour: '#d55e00', dash: '5 3', shape: 'square' },
] as const;

/**
 * The `--clusters auto` curve: silhouette and bootstrap stability for each k tried, the 0.8
 * stability bar k had to clear, and the chosen k marked.
 */
export function autoKChart(curve: readonly AutoKPoint[], chosen: number, stabilityBar: number): Markup {
  const ks = curve.map((p) => p.k);
  const kMin = Math.min(...ks);
  const kMax = Math.max(...ks, kMin + 1);
  const yMin = Math.min(0, ...curve.map((p) => p.silhouette));
  const x = (k: number) => round(LEFT + ((k - kMin) / (kMax - kMin)) * (WIDTH - LEFT - RIGHT));
  const y = (v: number) => round(TOP + ((1 - v) / (1 - yMin)) * (HEIGHT - TOP - BOTTOM));
  const ticks = [yMin, 0.25, 0.5, 0.75, 1].filter((v, i, all) => all.indexOf(v) === i && v >= yMin);
  const series = SERIES.map((s, i) => {
    const points = curve.map((p) => ({ x: x(p.k), y: y(p[s.key]) }));
    const legendY = HEIGHT - BOTTOM - 24 + i * 18;
    return h(
      'g',
      { stroke: s.colour, fill: s.colour },
      h('polyline', { points: points.map((p) => `${p.x},${p.y}`).join(' '), fill: 'none', 'stroke-width': 2, 'stroke-dasharray': s.dash }),
      points.map((p) => h('path', { d: shapePath(s.shape, 3.5), transform: `translate(${p.x} ${p.y})` })),
      h('line', { x1: WIDTH - RIGHT + 12, y1: legendY, x2: WIDTH - RIGHT + 36, y2: legendY, 'stroke-width': 2, 'stroke-dasharray': s.dash }),
      h('text', { x: WIDTH - RIGHT + 40, y: legendY + 4, stroke: 'none', fill: '#222' }, s.label),
    );
  });
  return h(
    'svg',
    { xmlns: 'http://www.w3.org/2000/svg', class: 'chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img' },
    h('title', {}, `Silhouette and stability for k = ${kMin} to ${kMax}; k = ${chosen} was chosen`),
    h(
      'g',
      { class: 'axes', stroke: '#999', 'stroke-width': 0.6 },
      ticks.map((v) => h('line', { x1: LEFT, y1: y(v), x2: WIDTH - RIGHT, y2: y(v) })),
    ),
    h('g', { class: 'tick-labels' }, [
      ...ticks.map((v) => h('text', { x: LEFT - 6, y: y(v) + 4, 'text-anchor': 'end' }, v.toFixed(2))),
      ...ks.map((k) => h('text', { x: x(k), y: HEIGHT - BOTTOM + 16, 'text-anchor': 'middle' }, String(k))),
      h('text', { x: (LEFT + WIDTH - RIGHT) / 2, y: HEIGHT - 4, 'text-anchor': 'middle' }, 'k (number of clusters)'),
    ]),
    h('line', { x1: LEFT, y1: y(stabilityBar), x2: WIDTH - RIGHT, y2: y(stabilityBar), stroke: '#d55e00', 'stroke-width': 1, 'stroke-dasharray': '1 3' }),
    h('text', { x: WIDTH - RIGHT + 4, y: y(stabilityBar) + 4, class: 'note' }, `stability bar ${stabilityBar}`),
    h('line', { x1: x(chosen), y1: TOP, x2: x(chosen), y2: HEIGHT - BOTTOM, stroke: '#000', 'stroke-width': 1.5 }),
    h('text', { x: x(chosen) + 4, y: HEIGHT - BOTTOM - 6, class: 'note' }, `chosen k = ${chosen}`),
    series,
  );
}
