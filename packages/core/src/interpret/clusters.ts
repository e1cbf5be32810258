import { ENERGIES, type Energy } from '../profiles/types.js';
import { wheelPosition, type WheelType } from './wheel.js';

/** What a cluster means, for people. */
export interface ClusterSummary {
  id: number;
  size: number;
  /** Mean energy percentages of the members. */
  centroid: Record<Energy, number>;
  dominant: Energy;
  secondary: Energy;
  wheel_type: WheelType;
  /** 0 for a balanced centroid, 1 for a single pure energy. */
  wheel_radius: number;
}

/** Summaries of clusters 0..k-1 from the members' energy percentages (4 per row). */
export function summariseClusters(energies: Float64Array, labels: Int32Array, k: number): ClusterSummary[] {
  const sums = new Float64Array(k * 4);
  const sizes = new Int32Array(k);
  for (let r = 0; r < labels.length; r++) {
    const l = labels[r]!;
    sizes[l]!++;
    for (let c = 0; c < 4; c++) sums[l * 4 + c]! += energies[r * 4 + c]!;
  }
  const summaries: ClusterSummary[] = [];
  for (let l = 0; l < k; l++) {
    const mean = [0, 1, 2, 3].map((c) => (sizes[l]! > 0 ? sums[l * 4 + c]! / sizes[l]! : 0));
    const ranked = [0, 1, 2, 3].sort((a, b) => mean[b]! - mean[a]! || a - b);
    const position = wheelPosition(mean[0]!, mean[1]!, mean[2]!, mean[3]!);
    summaries.push({
      id: l,
      size: sizes[l]!,
      centroid: { red: round(mean[0]!), blue: round(mean[1]!), green: round(mean[2]!), yellow: round(mean[3]!) },
      dominant: ENERGIES[ranked[0]!]!,
      secondary: ENERGIES[ranked[1]!]!,
      wheel_type: position.type,
      wheel_radius: round(position.radius, 4),
    });
  }
  return summaries;
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Renumbers clusters by decreasing size (ties by centroid), so that cluster 0 is the largest
 * and identical partitions always print identically.
 */
export function relabelBySize(labels: Int32Array, k: number, energies: Float64Array): Int32Array {
  const summaries = summariseClusters(energies, labels, k);
  const order = summaries
    .map((s) => s)
    .sort((a, b) => b.size - a.size || compareCentroids(a.centroid, b.centroid))
    .map((s) => s.id);
  const newId = new Int32Array(k);
  order.forEach((oldId, index) => (newId[oldId] = index));
  return labels.map((l) => newId[l]!);
}

function compareCentroids(a: Record<Energy, number>, b: Record<Energy, number>): number {
  for (const e of ENERGIES) if (a[e] !== b[e]) return b[e] - a[e];
  return 0;
}
