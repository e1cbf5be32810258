import { expect } from 'chai';
import { runCli } from './helpers/run-cli.js';

describe('insights cluster: clusters too small to judge', function () {
  this.timeout(60_000);

  it('warns when a cluster holds fewer than 3 people, and not otherwise', async () => {
    const header = 'employee_id,red_energy,blue_energy,green_energy,yellow_energy';
    const close = Array.from({ length: 8 }, (_, i) => `E${i},${10 + i},${60 - i},20,10`);
    const csv = `${header}\n${close.join('\n')}\nOUT,90,2,4,4\n`;
    const run = await runCli(['cluster', '-', '--method', 'kmeans', '--clusters', '2', '--format', 'table', '--stability-runs', '0'], csv);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^Warning: cluster 1 \(1 person\) too small to judge/m);
    const even = `${header}\n${close.join('\n')}\n${Array.from({ length: 4 }, (_, i) => `F${i},${80 + i},5,5,10`).join('\n')}\n`;
    const balanced = await runCli(['cluster', '-', '--method', 'kmeans', '--clusters', '2', '--format', 'table', '--stability-runs', '0'], even);
    expect(balanced.status, balanced.stderr).to.equal(0);
    expect(balanced.stdout).not.to.include('Warning');
  });
});
