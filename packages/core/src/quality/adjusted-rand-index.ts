/**
 * Adjusted Rand index between two labelings of the same rows (Hubert & Arabie 1985): 1 for
 * identical partitions whatever the label names, about 0 for independent ones.
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n !== b.length) throw new RangeError(`labelings differ in length: ${n} and ${b.length}`);
  if (n < 2) return 1;
  const aIds = denseIds(a);
  const bIds = denseIds(b);
  const table = new Float64Array(aIds.count * bIds.count);
  const rowSums = new Float64Array(aIds.count);
  const colSums = new Float64Array(bIds.count);
  for (let i = 0; i < n; i++) {
    const r = aIds.ids[i]!;
    const c = bIds.ids[i]!;
    table[r * bIds.count + c]!++;
    rowSums[r]!++;
    colSums[c]!++;
  }
  const pairs = (x: number) => (x * (x - 1)) / 2;
  let index = 0;
  for (const v of table) index += pairs(v);
  let rowPairs = 0;
  for (const v of rowSums) rowPairs += pairs(v);
  let colPairs = 0;
  for (const v of colSums) colPairs += pairs(v);
  const expected = (rowPairs * colPairs) / pairs(n);
  const max = (rowPairs + colPairs) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}

function denseIds(labels: ArrayLike<number>): { ids: Int32Array; count: number } {
  const map = new Map<number, number>();
  const ids = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    let id = map.get(label);
    if (id === undefined) {
      id = map.size;
      map.set(label, id);
    }
    ids[i] = id;
  }
  return { ids, count: map.size };
}
