import type { ClusteringResult } from '@insights/core';

/** Plain reading of a silhouette score, after Rousseeuw's (1987) rule of thumb. */
function describeSilhouette(value: number): string {
  if (value > 0.7) return 'clearly separated';
  if (value > 0.5) return 'reasonably separated';
  if (value > 0.25) return 'overlapping';
  return 'no clear structure';
}

/** Clusters with fewer people than this are too small for their separation to be judged. */
const SMALLEST_JUDGED = 3;

/** A warning naming the clusters too small to judge, or undefined when there are none. */
function smallClusterWarning(result: ClusteringResult): string | undefined {
  const small = result.clusters.filter((c) => c.size < SMALLEST_JUDGED);
  if (small.length === 0) return undefined;
  const named = small.map((c) => `${c.id} (${c.size} ${c.size === 1 ? 'person' : 'people'})`).join(', ');
  return `Warning: cluster${small.length === 1 ? '' : 's'} ${named} too small to judge: the scores above say little about clusters of fewer than ${SMALLEST_JUDGED} people`;
}

/** Right- or left-aligned columns with a header row and a rule under it. */
export function renderTable(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A clustering result as a person reads it: clusters, quality in words, anything left out. */
export function formatClusteringTable(result: ClusteringResult): string {
  const out: string[] = [];
  out.push(`${result.n} people in ${result.k} clusters · method ${result.method} · seed ${result.seed}`);
  if (result.auto_k) {
    const curve = result.auto_k.curve.map((p) => `k=${p.k} ${p.silhouette.toFixed(2)}/${p.stability.toFixed(2)}`).join(', ');
    out.push(`k chosen automatically: ${result.auto_k.chosen} (silhouette/stability: ${curve})`);
  }
  out.push('');
  const rows = result.clusters.map((c) => [
    String(c.id),
    String(c.size),
    `${((100 * c.size) / result.n).toFixed(1)}%`,
    c.centroid.red.toFixed(1),
    c.centroid.blue.toFixed(1),
    c.centroid.green.toFixed(1),
    c.centroid.yellow.toFixed(1),
    `${c.dominant}/${c.secondary}`,
    c.wheel_type,
  ]);
  out.push(
    renderTable(['Cluster', 'People', 'Share', 'Red %', 'Blue %', 'Green %', 'Yellow %', 'Dominant/secondary', 'Wheel type'], rows, [
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]),
  );
  const q = result.quality;
  out.push('');
  const sampled = q.silhouette_sample_size < result.n ? ` on a sample of ${q.silhouette_sample_size}` : '';
  out.push(`Silhouette ${q.silhouette.toFixed(3)} (${describeSilhouette(q.silhouette)})${sampled}`);
  out.push(`Calinski–Harabasz ${q.calinski_harabasz.toFixed(1)} · Davies–Bouldin ${q.davies_bouldin.toFixed(3)} · inertia ${q.inertia.toFixed(0)}`);
  const small = smallClusterWarning(result);
  if (small !== undefined) out.push(small);
  if (q.stability !== null) out.push(`Stability ${q.stability.toFixed(3)} (mean ARI of bootstrap re-clusterings; 1 = always the same clusters)`);
  if (result.fallback.used) out.push(`Fallback: k-means on the energies was used because ${result.fallback.reason}`);
  if (result.skipped.length > 0) {
    out.push(`Skipped ${result.skipped.length} invalid row${result.skipped.length === 1 ? '' : 's'}:`);
    for (const s of result.skipped.slice(0, 20)) out.push(`  line ${s.line}: ${s.reasons.join('; ')}`);
    if (result.skipped.length > 20) out.push(`  … and ${result.skipped.length - 20} more`);
  }
  out.push(`Took ${Math.round(result.timings_ms.total)} ms`);
  return `${out.join('\n')}\n`;
}
