/**
 * Row order in which every computation runs: by employee_id (code-unit order). Shuffling the
 * input therefore cannot change any random choice, and results come back in the input's order.
 */
export function canonicalOrder(ids: readonly string[]): Int32Array {
  const order = Int32Array.from(ids.keys());
  // Exports are often sorted by id already: one pass proves it, where sorting a million string
  // keys through a comparator takes about a second.
  if (ascending(ids)) return order;
  return order.sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
}

/** Whether the ids are in canonical order already (ids are distinct, so strictly ascending). */
function ascending(ids: readonly string[]): boolean {
  for (let i = 1; i < ids.length; i++) if (!(ids[i - 1]! < ids[i]!)) return false;
  return true;
}

/** Rows of a width-`cols` array taken in `order`. */
export function permuteRows(data: Float64Array, cols: number, order: Int32Array): Float64Array {
  const out = new Float64Array(order.length * cols);
  for (let r = 0; r < order.length; r++) out.set(data.subarray(order[r]! * cols, order[r]! * cols + cols), r * cols);
  return out;
}
