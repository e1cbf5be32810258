import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { ClusteringResult } from '@insights/core';
import { runCli } from './helpers/run-cli.js';
import { tempFolder } from './helpers/temp-files.js';

const IRIS = new URL('./fixtures/iris.csv', import.meta.url).pathname;
const irisLines = readFileSync(IRIS, 'utf8').trim().split('\n');

interface AssignOutput {
  assignments: { employee_id: string; cluster: number; distance: number; margin: number; borderline: boolean }[];
  borderline: number;
}

describe('insights assign', function () {
  this.timeout(60_000);
  const files = tempFolder('cli-assign');
  after(() => files.cleanup());

  for (const method of ['kmeans', 'hybrid'] as const) {
    it(`places a clustering's own people exactly where it put them (${method})`, async () => {
      const clustered = await runCli(['cluster', IRIS, '--clusters', '3', '--method', method, '--format', 'json', '--stability-runs', '0']);
      expect(clustered.status, clustered.stderr).to.equal(0);
      const result = JSON.parse(clustered.stdout) as ClusteringResult;
      const model = files.write(`${method}.json`, clustered.stdout);
      // The new file holds the same people in reverse order.
      const reversed = files.write(`${method}-reversed.csv`, `${[irisLines[0], ...irisLines.slice(1).reverse()].join('\n')}\n`);
      const run = await runCli(['assign', '--model', model, reversed, '--format', 'json']);
      expect(run.status, run.stderr).to.equal(0);
      const output = JSON.parse(run.stdout) as AssignOutput;
      const expected = new Map(result.assignments.map((a) => [a.employee_id, a.cluster]));
      expect(output.assignments).to.have.length(150);
      for (const p of output.assignments) expect(p.cluster, p.employee_id).to.equal(expected.get(p.employee_id));
      expect(output.borderline).to.equal(output.assignments.filter((p) => p.borderline).length);
    });
  }

  it('prints CSV with distance, margin and the borderline flag, and a table with a summary', async () => {
    const clustered = await runCli(['cluster', IRIS, '--clusters', '3', '--method', 'kmeans', '--format', 'json', '--stability-runs', '0']);
    const model = files.write('csv-model.json', clustered.stdout);
    const csv = await runCli(['assign', '--model', model, IRIS, '--format', 'csv']);
    expect(csv.status, csv.stderr).to.equal(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).to.equal('employee_id,cluster,distance,margin,borderline');
    expect(lines).to.have.length(151);
    expect(lines[1]).to.match(/^iris-001,\d,[\d.e-]+,[\d.e-]+,(true|false)$/);
    const table = await runCli(['assign', '--model', model, IRIS]);
    expect(table.status, table.stderr).to.equal(0);
    expect(table.stdout).to.match(/150 placed, \d+ borderline\n$/);
  });

  it('refuses a file without a model and a bad --borderline', async () => {
    const noModel = files.write('no-model.json', JSON.stringify({ method: 'kmeans', k: 3 }));
    const run = await runCli(['assign', '--model', noModel, IRIS]);
    expect(run.status).to.equal(2);
    expect(run.stderr).to.include('holds no clustering model');
    const bad = await runCli(['assign', '--model', noModel, IRIS, '--borderline', '2']);
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.include('--borderline');
  });
});
