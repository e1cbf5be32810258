import { expect } from 'chai';
import type { Cluster } from 'ioredis';
import { InsightsClient } from '@insights/producer';
import { FleetEnv } from '../helpers/fleet.js';
import { syntheticCsv } from '../helpers/synthetic-csv.js';
import { LocalRedisCluster } from '../helpers/redis-cluster.js';

describe('fleet: against a three-node Redis Cluster', function () {
  this.timeout(120_000);
  const fleet = new FleetEnv();
  const cluster = new LocalRedisCluster();
  // Braces make every key of the prefix hash to one slot, as BullMQ needs on a cluster.
  const prefix = `{${fleet.prefix}}`;
  let redis: Cluster;
  let client: InsightsClient;

  before(async () => {
    await fleet.setUp();
    await cluster.start();
    redis = cluster.client();
    client = new InsightsClient({ redis, db: fleet.db, prefix, schema: fleet.schema });
  });
  after(async () => {
    await client?.close();
    await fleet.reset();
    await redis?.quit().catch(() => redis.disconnect());
    await cluster.stop();
    await fleet.tearDown();
  });

  it('runs clustering and a team-formation flow unchanged, results stored once', async () => {
    await fleet.startWorker({ REDIS_URL: cluster.url, REDIS_CLUSTER: 'true', QUEUE_PREFIX: prefix });
    const text = syntheticCsv(150, 4);
    const clustering = await client.submitClustering('cluster-test', { text }, { method: 'kmeans', clusters: 4, stabilityRuns: 0 });
    const summary = await client.waitForResult(clustering.id, 60_000);
    expect(summary).to.include({ kind: 'clustering', k: 4, n: 150 });
    const teams = await client.submitTeamFormation(
      'cluster-test',
      { text },
      { teamSize: [5, 7] },
      { options: { method: 'kmeans', clusters: 4, stabilityRuns: 0 } },
    );
    const teamSummary = await client.waitForResult(teams.id, 60_000);
    expect(teamSummary.kind).to.equal('team-formation');
    const result = (await client.getResult(teams.id, 'cluster-test')) as { teams: unknown[] };
    expect(result.teams.length).to.be.greaterThan(10);
    expect(await fleet.resultRows(clustering.id)).to.equal(1);
    expect(await fleet.resultRows(teams.id)).to.equal(1);
    expect(await fleet.resultRows(teams.clusteringJobId!)).to.equal(1);
  });

  it("serves the CLI's submit, status and result with REDIS_CLUSTER=true", async () => {
    const env = { REDIS_URL: cluster.url, REDIS_CLUSTER: 'true', QUEUE_PREFIX: prefix };
    await fleet.startWorker(env);
    const file = fleet.files.write('cluster-cli.csv', syntheticCsv(90, 6));
    const submitted = await fleet.cli(
      ['submit', 'cluster', file, '--org', 'cluster-cli', '--method', 'kmeans', '--clusters', '3', '--stability-runs', '0'],
      60_000,
      env,
    );
    expect(submitted.status, submitted.stderr).to.equal(0);
    const id = submitted.stdout.trim();
    await client.waitForResult(id, 60_000);
    const status = await fleet.cli(['status', id, '--json'], 60_000, env);
    expect(status.status, status.stderr).to.equal(0);
    expect(JSON.parse(status.stdout)).to.include({ id, queue: 'clustering', state: 'completed' });
    const result = await fleet.cli(['result', id, '--org', 'cluster-cli'], 60_000, env);
    expect(result.status, result.stderr).to.equal(0);
    expect(JSON.parse(result.stdout)).to.include({ method: 'kmeans', k: 3, n: 90 });
  });
});
