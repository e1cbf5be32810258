import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { adjustedRandIndex, METHODS, type ClusteringResult } from '@insights/core';
import { runCli } from './helpers/run-cli.js';
import { tempFolder } from './helpers/temp-files.js';

const IRIS = new URL('./fixtures/iris.csv', import.meta.url).pathname;
const irisLines = readFileSync(IRIS, 'utf8').trim().split('\n');
const species = new Map(irisLines.slice(1).map((line) => [line.split(',')[0]!, line.split(',')[5]!]));

function withoutTimings(result: ClusteringResult): Omit<ClusteringResult, 'timings_ms'> {
  const { timings_ms: _timings, ...rest } = result;
  return rest;
}

function clusterById(result: ClusteringResult): Map<string, number> {
  return new Map(result.assignments.map((a) => [a.employee_id, a.cluster]));
}

describe('insights cluster', function () {
  this.timeout(60_000);
  const files = tempFolder('cli-cluster');
  after(() => files.cleanup());

  it('prints one JSON document with the documented fields', async () => {
    const run = await runCli(['cluster', IRIS, '--clusters', '3', '--format', 'json']);
    expect(run.status, run.stderr).to.equal(0);
    const result = JSON.parse(run.stdout) as ClusteringResult;
    expect(result).to.include.keys('method', 'k', 'seed', 'n', 'assignments', 'clusters', 'quality', 'fallback', 'skipped', 'timings_ms');
    expect(result).to.include({ method: 'hybrid', k: 3, seed: 42, n: 150 });
    expect(result.assignments[0]).to.deep.equal({ employee_id: 'iris-001', cluster: result.assignments[0]!.cluster });
    expect(result.quality).to.include.keys('silhouette', 'calinski_harabasz', 'davies_bouldin', 'stability');
    expect(result.clusters.map((c) => c.size).reduce((a, b) => a + b)).to.equal(150);
    expect(result.clusters[0]).to.include.keys('id', 'size', 'centroid', 'dominant', 'wheel_type');
  });

  it('times the whole command: start-up, read, parse, sort, each stage and the output, in a total that covers them', async () => {
    const run = await runCli(['cluster', IRIS, '--clusters', '3', '--method', 'kmeans', '--format', 'json']);
    expect(run.status, run.stderr).to.equal(0);
    const timings = (JSON.parse(run.stdout) as ClusteringResult).timings_ms as Record<string, number>;
    const stages = ['start', 'read', 'parse', 'sort', 'features', 'clustering', 'quality', 'write'];
    expect(Object.keys(timings)).to.deep.equal([...stages, 'total']);
    for (const stage of stages) expect(timings[stage], stage).to.be.a('number').and.at.least(0);
    // Start-up alone (loading Node and the command's modules) takes some milliseconds.
    expect(timings.start).to.be.greaterThan(1);
    const sum = stages.reduce((total, stage) => total + timings[stage]!, 0);
    expect(timings.total).to.be.at.least(sum - 1e-6);
  });

  for (const method of METHODS) {
    it(`recovers the Iris species with ${method} (ARI ≥ 0.85)`, async () => {
      const run = await runCli(['cluster', IRIS, '--clusters', '3', '--method', method, '--format', 'json', '--stability-runs', '0']);
      expect(run.status, run.stderr).to.equal(0);
      const result = JSON.parse(run.stdout) as ClusteringResult;
      const truth = result.assignments.map((a) => species.get(a.employee_id)!);
      const ids = [...new Set(truth)];
      const ari = adjustedRandIndex(
        truth.map((s) => ids.indexOf(s)),
        result.assignments.map((a) => a.cluster),
      );
      expect(ari).to.be.at.least(0.85);
    });
  }

  it('gives the same result for shuffled rows and for any number of threads', async () => {
    const header = irisLines[0]!;
    const reversed = [header, ...irisLines.slice(1).reverse()].join('\n');
    const shuffledFile = files.write('reversed.csv', reversed);
    const base = await runCli(['cluster', IRIS, '--clusters', '3', '--format', 'json']);
    const shuffled = await runCli(['cluster', shuffledFile, '--clusters', '3', '--format', 'json']);
    const threaded = await runCli(['cluster', IRIS, '--clusters', '3', '--format', 'json', '--threads', '3']);
    for (const run of [base, shuffled, threaded]) expect(run.status, run.stderr).to.equal(0);
    const a = JSON.parse(base.stdout) as ClusteringResult;
    const b = JSON.parse(shuffled.stdout) as ClusteringResult;
    const c = JSON.parse(threaded.stdout) as ClusteringResult;
    expect(withoutTimings(c)).to.deep.equal(withoutTimings(a));
    expect(clusterById(b)).to.deep.equal(clusterById(a));
    expect(b.quality).to.deep.equal(a.quality);
    expect(b.clusters).to.deep.equal(a.clusters);
    expect(b.assignments[0]!.employee_id).to.equal('iris-150');
  });

  it('reads standard input and prints CSV assignments', async () => {
    const run = await runCli(['cluster', '-', '--clusters', '3', '--method', 'kmeans', '--format', 'csv'], readFileSync(IRIS, 'utf8'));
    expect(run.status, run.stderr).to.equal(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).to.equal('employee_id,cluster');
    expect(lines).to.have.length(151);
    expect(lines[1]).to.match(/^iris-001,[0-2]$/);
  });

  it('prints a readable table', async () => {
    const run = await runCli(['cluster', IRIS, '--clusters', '3', '--format', 'table']);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^150 people in 3 clusters · method hybrid · seed 42/);
    expect(run.stdout).to.include('Wheel type');
    expect(run.stdout).to.match(/Silhouette 0\.\d{3} \(/);
  });

  it('takes method parameters with --set', async () => {
    const base = ['cluster', IRIS, '--clusters', '3', '--method', 'esn', '--format', 'json', '--stability-runs', '0'];
    const [defaults, changed] = await Promise.all([runCli(base), runCli([...base, '--set', 'esn.units=40', '--set', 'esn.spectralRadius=0.8'])]);
    expect(changed.status, changed.stderr).to.equal(0);
    const a = JSON.parse(defaults.stdout) as ClusteringResult;
    const b = JSON.parse(changed.stdout) as ClusteringResult;
    expect(b.quality).to.not.deep.equal(a.quality);
  });

  it('refuses --set parameters of another method, which it would otherwise ignore', async () => {
    const run = await runCli([
      'cluster',
      IRIS,
      '--clusters',
      '3',
      '--method',
      'kmeans',
      '--set',
      'esn.units=10',
      '--set',
      'hybridWeights.snn=2',
      '--set',
      'nInit=5',
    ]);
    expect(run.status).to.equal(2);
    expect(run.stderr).to.include('--set esn.…: method kmeans does not use esn parameters (only esn and hybrid do)');
    expect(run.stderr).to.include('--set hybridWeights.…: method kmeans does not use hybridWeights parameters (only hybrid does)');
    expect(run.stderr).not.to.include('nInit');
    const hybrid = await runCli([
      'cluster',
      IRIS,
      '--clusters',
      '3',
      '--method',
      'hybrid',
      '--set',
      'esn.units=10',
      '--stability-runs',
      '0',
      '--format',
      'csv',
    ]);
    expect(hybrid.status, hybrid.stderr).to.equal(0);
  });

  it('chooses k automatically and reports the curve', async () => {
    const run = await runCli(['cluster', IRIS, '--clusters', 'auto', '--method', 'kmeans', '--format', 'json']);
    expect(run.status, run.stderr).to.equal(0);
    const result = JSON.parse(run.stdout) as ClusteringResult;
    expect(result.auto_k?.curve.map((p) => p.k)).to.deep.equal([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(result.k).to.equal(result.auto_k?.chosen);
  });

  it('reads semicolon files with decimal commas', async () => {
    const file = files.write(
      'semicolon.csv',
      'employee_id;red_energy;blue_energy;green_energy;yellow_energy\r\n' +
        ['a;40,5;20;20;19,5', 'b;10;50,5;20;19,5', 'c;41;19;21;19', 'd;11;50;19;20'].join('\r\n'),
    );
    const run = await runCli(['cluster', file, '--clusters', '2', '--method', 'kmeans', '--format', 'csv', '--stability-runs', '0']);
    expect(run.status, run.stderr).to.equal(0);
    const labels = Object.fromEntries(
      run.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')),
    );
    expect(labels.a).to.equal(labels.c);
    expect(labels.b).to.equal(labels.d);
    expect(labels.a).to.not.equal(labels.b);
  });

  describe('bad input and options exit with status 2 and say where', () => {
    it('names every bad line and column, without a stack trace', async () => {
      const file = files.write('bad.csv', 'employee_id,red_energy,blue_energy,green_energy,yellow_energy\ne1,10,20,30,40\ne2,10,abc,30,40\ne3,-1,20,30,40\n');
      const run = await runCli(['cluster', file, '--clusters', '2']);
      expect(run.status).to.equal(2);
      expect(run.stderr).to.include('line 3, column blue_energy: not a number: "abc"');
      expect(run.stderr).to.include('line 4, column red_energy: negative energy');
      expect(run.stderr).to.not.match(/\n\s+at /);
      expect(run.stdout).to.equal('');
    });

    it('skips invalid rows on request and lists them', async () => {
      const rows = ['e1,10,20,30,40', 'e2,10,abc,30,40', 'e3,40,30,20,10', 'e4,11,21,31,41', 'e5,41,31,21,11'];
      const file = files.write('skip.csv', `employee_id,red_energy,blue_energy,green_energy,yellow_energy\n${rows.join('\n')}\n`);
      const run = await runCli(['cluster', file, '--clusters', '2', '--method', 'kmeans', '--skip-invalid', '--format', 'json']);
      expect(run.status, run.stderr).to.equal(0);
      const result = JSON.parse(run.stdout) as ClusteringResult;
      expect(result.n).to.equal(4);
      expect(result.skipped).to.have.length(1);
      expect(result.skipped[0]).to.include({ line: 3, employee_id: 'e2' });
    });

    it('refuses fewer rows than clusters', async () => {
      const file = files.write('few.csv', 'employee_id,red_energy,blue_energy,green_energy,yellow_energy\ne1,10,20,30,40\ne2,40,30,20,10\n');
      const run = await runCli(['cluster', file, '--clusters', '3']);
      expect(run.status).to.equal(2);
      expect(run.stderr).to.include('fewer rows than clusters');
    });

    it('refuses a missing file', async () => {
      const run = await runCli(['cluster', '/nonexistent/people.csv']);
      expect(run.status).to.equal(2);
      expect(run.stderr).to.include('cannot read /nonexistent/people.csv: no such file');
    });

    it('reports every bad option at once', async () => {
      const run = await runCli(['cluster', IRIS, '--clusters', '1', '--seed', '-5', '--threads', 'x']);
      expect(run.status).to.equal(2);
      expect(run.stderr).to.include('--clusters: expected a whole number from 2 to 50, got "1"');
      expect(run.stderr).to.include('--seed');
      expect(run.stderr).to.include('--threads');
    });

    it('checks method parameters given with --set, every problem at once', async () => {
      const run = await runCli(['cluster', IRIS, '--method', 'hybrid', '--set', 'esn.units=-3', '--set', 'esn.bogus=1', '--set', 'lsm.grid=[2,2]']);
      expect(run.status).to.equal(2);
      expect(run.stderr).to.include('esn.units: Too small');
      expect(run.stderr).to.include('Unrecognized key: "bogus"');
      expect(run.stderr).to.include('lsm.grid');
    });

    it('refuses an unknown method', async () => {
      const run = await runCli(['cluster', IRIS, '--method', 'dbscan']);
      expect(run.status).to.equal(2);
      expect(run.stderr).to.include('dbscan');
    });
  });
});
