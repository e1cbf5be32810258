import { ENERGIES, type Energy } from '@insights/core';
import { h, round, type Markup } from '../html.js';
import { ENERGY_COLOURS } from './markers.js';

const LABELS: Readonly<Record<Energy, string>> = { red: 'Red', blue: 'Blue', green: 'Green', yellow: 'Yellow' };

/** Width of the value labels' column, after the 0–100 % scale. */
const VALUE_ROOM = 48;

/**
 * Four horizontal bars, one per energy (labelled by name as well as coloured), on a 0–100 % scale
 * with a dashed line at 25 %, where a perfectly balanced profile would sit. Each value is written
 * just after its bar, but never left of the dashed line: a bar that stops short of 25 % has its
 * value just right of the line, so no label ever crosses it.
 */
export function energyBars(energies: Readonly<Record<Energy, number>>, caption: string): Markup {
  const labelWidth = 52;
  const width = 200;
  const row = 16;
  const scale = (value: number) => round((Math.max(0, Math.min(100, value)) / 100) * width);
  const quarter = labelWidth + scale(25);
  const bars = ENERGIES.map((energy, i) => {
    const y = i * row;
    const value = energies[energy];
    const end = labelWidth + scale(value);
    return h(
      'g',
      {},
      h('text', { x: 0, y: y + 11 }, LABELS[energy]),
      h('rect', { x: labelWidth, y: y + 2, width: scale(value), height: row - 5, fill: ENERGY_COLOURS[energy] }),
      h('text', { x: valueLabelX(end, quarter), y: y + 11, class: 'value' }, `${value.toFixed(1)} %`),
    );
  });
  return h(
    'svg',
    { xmlns: 'http://www.w3.org/2000/svg', class: 'bars', viewBox: `0 0 ${labelWidth + width + VALUE_ROOM} ${4 * row}`, role: 'img' },
    h('title', {}, caption),
    bars,
    h('line', { x1: quarter, y1: 0, x2: quarter, y2: 4 * row, stroke: '#555', 'stroke-dasharray': '3 2' }),
  );
}

/** Where a value label starts: 4 units after the bar's end, or after the 25 % line if the bar stops short of it. */
export function valueLabelX(barEnd: number, quarter: number): number {
  return round(Math.max(barEnd, quarter) + 4);
}

/**
 * One bar split into the four energies' shares (they sum to 100 %), each segment wide enough
 * carrying its initial (R, B, G, Y) so colour is not the only cue.
 */
export function energyBalanceBar(energies: Readonly<Record<Energy, number>>, caption: string): Markup {
  const width = 240;
  const height = 16;
  const total = ENERGIES.reduce((sum, e) => sum + Math.max(0, energies[e]), 0) || 1;
  let x = 0;
  const segments = ENERGIES.map((energy) => {
    const w = (Math.max(0, energies[energy]) / total) * width;
    const segment = [
      h('rect', { x: round(x), width: round(w), height, fill: ENERGY_COLOURS[energy] }),
      w >= 14 ? h('text', { x: round(x + w / 2), y: 12, class: energy === 'yellow' ? 'dark' : 'light' }, LABELS[energy][0]!) : null,
    ];
    x += w;
    return segment;
  });
  return h('svg', { class: 'balance-bar', viewBox: `0 0 ${width} ${height}`, role: 'img' }, h('title', {}, caption), segments);
}
