import { expect } from 'chai';
import type { ClusteringResult } from '@insights/core';
import { runCli } from './helpers/run-cli.js';
import { tempFolder } from './helpers/temp-files.js';

const IRIS = new URL('./fixtures/iris.csv', import.meta.url).pathname;

describe('insights cluster --previous', function () {
  this.timeout(60_000);
  const files = tempFolder('cli-previous');
  after(() => files.cleanup());

  it('keeps cluster ids across runs and reports who moved, new clusters and drift', async () => {
    const first = await runCli(['cluster', IRIS, '--clusters', '3', '--method', 'kmeans', '--format', 'json', '--stability-runs', '0']);
    expect(first.status, first.stderr).to.equal(0);
    const previous = files.write('previous.json', first.stdout);
    const before = JSON.parse(first.stdout) as ClusteringResult;

    const again = await runCli(['cluster', IRIS, '--clusters', '4', '--method', 'kmeans', '--format', 'json', '--stability-runs', '0', '--previous', previous]);
    expect(again.status, again.stderr).to.equal(0);
    const result = JSON.parse(again.stdout) as ClusteringResult;
    const identity = result.identity!;
    expect(identity.stable_ids).to.have.length(4);
    expect(new Set(identity.stable_ids).size).to.equal(4);
    expect(identity.matched).to.have.length(3);
    expect(identity.new).to.have.length(1);
    expect(identity.new[0]!.stable_id).to.equal(3);
    expect(identity.vanished).to.deep.equal([]);
    // Moves counted from the two runs' assignments agree with the summary.
    const was = new Map(before.assignments.map((a) => [a.employee_id, a.cluster]));
    const moved = result.assignments.filter((a) => was.get(a.employee_id) !== identity.stable_ids[a.cluster]).length;
    expect(identity.people).to.deep.equal({ common: 150, moved, joined: 0, left: 0 });
    expect(identity.flows.reduce((sum, f) => sum + f.people, 0)).to.equal(moved);
  });

  it('refuses a file that is not a clustering result', async () => {
    const bad = files.write('bad.json', '{"k": 3}');
    const run = await runCli(['cluster', IRIS, '--previous', bad]);
    expect(run.status).to.equal(2);
    expect(run.stderr).to.include('not a clustering result');
  });
});
