import type { ClusterSummary } from '@insights/core';
import type { ClusterPalette } from '../svg/markers.js';

/** What every section needs besides its part of the result. */
export interface SectionContext {
  /** How an employee_id is shown: itself, its display label with it, or its pseudonym. */
  name: (id: string) => string;
  /** Whether names are pseudonyms (the report says so). */
  anonymised: boolean;
  /** Colour and shape of each cluster. */
  style: ClusterPalette;
}

/** A cluster's name in prose: its number and its wheel type ("Cluster 2 · Director"). */
export function clusterName(cluster: Pick<ClusterSummary, 'id' | 'wheel_type'>): string {
  return `Cluster ${cluster.id} · ${cluster.wheel_type}`;
}

/** "1 person", "3 people". */
export function people(count: number): string {
  return `${count} ${count === 1 ? 'person' : 'people'}`;
}

/** A share as a percentage with one decimal. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : '–';
}
