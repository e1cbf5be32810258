import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import pg from 'pg';
import { createPool, Store } from '@insights/store';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SQL_FILE = fileURLToPath(new URL('../../infra/postgres/monitoring-views.sql', import.meta.url));

/** Runs the views file with psql, as its README says, and returns what psql did. */
function applyViews(variables: Record<string, string>): { status: number | null; output: string } {
  const args = [DATABASE_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1', ...Object.entries(variables).flatMap(([k, v]) => ['-v', `${k}=${v}`]), '-f', SQL_FILE];
  const run = spawnSync('psql', args, { encoding: 'utf8', timeout: 20_000 });
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('infra/postgres/monitoring-views.sql', function () {
  this.timeout(30_000);
  const schema = `monitoring_test_${randomBytes(5).toString('hex')}`;
  const q = pg.escapeIdentifier(schema);
  const db = createPool(DATABASE_URL, { max: 3, applicationName: 'insights-monitoring-test' });

  before(async () => {
    await new Store(db, schema).migrate();
    const applied = applyViews({ schema });
    expect(applied.status, applied.output).to.equal(0);
  });

  after(async () => {
    await db.query(`DROP SCHEMA IF EXISTS ${q} CASCADE`);
    await db.end();
  });

  it('applies again over itself (views are replaced)', () => {
    const again = applyViews({ schema });
    expect(again.status, again.output).to.equal(0);
  });

  it('stops with an error naming the missing schema variable', () => {
    const run = applyViews({});
    expect(run.status, run.output).to.equal(3);
    expect(run.output).to.include('set the schema of the tables');
  });

  it('lists the sizes of the tables of the schema, and only of that schema', async () => {
    await db.query(
      `INSERT INTO ${q}.job_results (job_id, queue, organization, kind, parameters, result, attempts, duration_ms)
       VALUES ('size-1', 'clustering', 'acme', 'clustering', '{}', $1, 1, 10)`,
      [JSON.stringify({ padding: 'x'.repeat(5000) })],
    );
    const { rows } = await db.query(`SELECT * FROM ${q}.monitoring_table_sizes`);
    const tables = rows.map((row) => row.table_name as string);
    expect(tables).to.include.members(['datasets', 'job_results', 'schema_migrations']);
    const results = rows.find((row) => row.table_name === 'job_results')!;
    expect(Number(results.table_bytes)).to.be.greaterThan(0);
    expect(Number(results.total_bytes)).to.equal(Number(results.table_bytes) + Number(results.index_bytes) + Number(results.toast_bytes));
    const { rows: elsewhere } = await db.query(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [schema],
    );
    expect(rows).to.have.length(elsewhere[0].n);
  });

  it('counts connections by application and state, and their share of max_connections', async () => {
    const { rows } = await db.query(`SELECT * FROM ${q}.monitoring_connections WHERE application = 'insights-monitoring-test'`);
    expect(rows.reduce((sum, row) => sum + Number(row.connections), 0)).to.be.at.least(1);
    const { rows: usage } = await db.query(`SELECT * FROM ${q}.monitoring_connection_usage`);
    const { rows: max } = await db.query(`SELECT current_setting('max_connections')::int AS max`);
    expect(usage[0].max_connections).to.equal(max[0].max);
    expect(Number(usage[0].connections)).to.be.at.least(1);
    expect(Number(usage[0].used_share)).to.be.closeTo(Number(usage[0].connections) / max[0].max, 0.001);
  });

  it('shows a running statement among active queries, but not as long-running', async () => {
    const sleeper = new pg.Client({ connectionString: DATABASE_URL, application_name: `sleeper-${schema}` });
    await sleeper.connect();
    try {
      const sleeping = sleeper.query('SELECT pg_sleep(3)');
      let active: Record<string, unknown>[] = [];
      const deadline = Date.now() + 2_000;
      while (active.length === 0 && Date.now() < deadline) {
        ({ rows: active } = await db.query(`SELECT * FROM ${q}.monitoring_active_queries WHERE application = $1`, [`sleeper-${schema}`]));
        if (active.length === 0) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(active, 'the sleeping statement in monitoring_active_queries').to.have.length(1);
      expect(active[0]!.query).to.equal('SELECT pg_sleep(3)');
      expect(active[0]!.state).to.equal('active');
      const { rows: long } = await db.query(`SELECT * FROM ${q}.monitoring_long_running_queries WHERE application = $1`, [`sleeper-${schema}`]);
      expect(long).to.have.length(0);
      await sleeping;
    } finally {
      await sleeper.end();
    }
  });

  it('sums stored results per day and kind', async () => {
    await db.query(
      `INSERT INTO ${q}.job_results (job_id, queue, organization, kind, parameters, result, attempts, duration_ms)
       VALUES ('day-1', 'team-formation', 'acme', 'team-formation', '{}', '{}', 1, 100),
              ('day-2', 'team-formation', 'beta', 'team-formation', '{}', '{}', 3, 300)`,
    );
    const { rows } = await db.query(`SELECT * FROM ${q}.monitoring_job_results_by_day WHERE kind = 'team-formation'`);
    expect(rows).to.have.length(1);
    expect(Number(rows[0].results)).to.equal(2);
    expect(Number(rows[0].organizations)).to.equal(2);
    expect(Number(rows[0].mean_duration_ms)).to.equal(200);
    expect(Number(rows[0].retries)).to.equal(2);
  });
});
