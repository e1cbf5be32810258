/**
 * An indexed binary max-heap over team costs: the worst team in O(1), a changed cost re-placed in
 * O(log teams). At 100,000 people (14,286 teams) rescanning every cost for the worst team took
 * more time than the local search itself. Ties go to the lowest team index, as a scan from team 0
 * that keeps the first maximum would choose, so the search takes exactly the same steps.
 */
export class WorstTeamHeap {
  private readonly heap: Int32Array;
  private readonly slot: Int32Array;
  /**
   * The cost each team was last placed with. The heap orders these, not the caller's array, so
   * that several costs may change before they are reported one at a time.
   */
  private readonly keys: Float64Array;

  /** Orders every team by `costs`, which the caller keeps and reports changes of. */
  constructor(private readonly costs: Float64Array) {
    const teams = costs.length;
    this.keys = Float64Array.from(costs);
    this.heap = Int32Array.from({ length: teams }, (_, i) => i);
    this.slot = Int32Array.from({ length: teams }, (_, i) => i);
    for (let i = (teams >> 1) - 1; i >= 0; i--) this.down(i);
  }

  /** The team with the highest cost (the lowest index among equals). */
  worst(): number {
    return this.heap[0]!;
  }

  /** Re-places a team whose cost has changed. */
  update(team: number): void {
    this.keys[team] = this.costs[team]!;
    const at = this.slot[team]!;
    this.up(at);
    this.down(this.slot[team]!);
  }

  /** Whether team `a` belongs above team `b`. */
  private above(a: number, b: number): boolean {
    const ca = this.keys[a]!;
    const cb = this.keys[b]!;
    return ca > cb || (ca === cb && a < b);
  }

  private up(at: number): void {
    const team = this.heap[at]!;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.above(team, this.heap[parent]!)) break;
      this.place(this.heap[parent]!, at);
      at = parent;
    }
    this.place(team, at);
  }

  private down(at: number): void {
    const team = this.heap[at]!;
    const size = this.heap.length;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      if (child + 1 < size && this.above(this.heap[child + 1]!, this.heap[child]!)) child++;
      if (!this.above(this.heap[child]!, team)) break;
      this.place(this.heap[child]!, at);
      at = child;
    }
    this.place(team, at);
  }

  private place(team: number, at: number): void {
    this.heap[at] = team;
    this.slot[team] = at;
  }
}
