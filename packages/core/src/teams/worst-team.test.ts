import { expect } from 'chai';
import { randomStream } from '../random/seeded.js';
import { WorstTeamHeap } from './worst-team.js';

/** What the heap replaces: a scan keeping the first team of the highest cost. */
function scanWorst(costs: Float64Array): number {
  let worst = 0;
  for (let t = 1; t < costs.length; t++) if (costs[t]! > costs[worst]!) worst = t;
  return worst;
}

describe('WorstTeamHeap', () => {
  it('names the same worst team as a scan, ties to the lowest index, after any sequence of changes, one or two at a time', () => {
    // Costs from a few values only, so that ties are common; 300 seeded cases of up to 40 teams.
    const values = [0, 0.25, 0.5, 1, 2];
    for (let trial = 0; trial < 300; trial++) {
      const stream = randomStream(trial, 'worst-team-test');
      const costs = Float64Array.from({ length: 1 + stream.int(40) }, () => values[stream.int(values.length)]!);
      const heap = new WorstTeamHeap(costs);
      expect(heap.worst(), `trial ${trial}`).to.equal(scanWorst(costs));
      for (let change = 0; change < 60; change++) {
        // A swap changes two teams' costs before either is reported.
        const teams = Array.from({ length: 1 + stream.int(2) }, () => stream.int(costs.length));
        for (const team of teams) costs[team] = stream.next() < 0.3 ? stream.next() * 2 : values[stream.int(values.length)]!;
        for (const team of teams) heap.update(team);
        expect(heap.worst(), `trial ${trial}, change ${change}`).to.equal(scanWorst(costs));
      }
    }
  });
});
