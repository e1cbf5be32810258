import { expect } from 'chai';
import pg from 'pg';
import { QUEUES, type QueueName } from '@insights/jobs';
import { eventually } from '../helpers/eventually.js';
import { FleetEnv } from '../helpers/fleet.js';
import type { FleetWorker } from '../helpers/fleet-worker.js';
import { OtlpReceiver } from '../helpers/otlp-receiver.js';
import { LoggedProcess } from '../helpers/processes.js';

/** People whose every personal value is a string that cannot occur by chance. */
function people(n: number): { rows: Record<string, string | number>[]; needles: string[] } {
  const rows: Record<string, string | number>[] = [];
  const needles: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const group = i % 4;
    const energy = (base: number, k: number) => (base + ((i * 7 + k * 13) % 97) / 19 + 0.00007 * (k + 1)).toFixed(5);
    const energies = [0, 1, 2, 3].map((k) => energy(k === group ? 70 : 10, k));
    const row = {
      employee_id: `pii-qx7-${String(i).padStart(3, '0')}`,
      red_energy: energies[0]!,
      blue_energy: energies[1]!,
      green_energy: energies[2]!,
      yellow_energy: energies[3]!,
      email: `qx7.person${i}@mail.example.invalid`,
      department: `QX7-Dept-${'ABCD'[i % 4]}`,
    };
    rows.push(row);
    needles.push(row.employee_id, row.email, ...energies);
  }
  needles.push('QX7-Dept-A', 'QX7-Dept-B', 'QX7-Dept-C', 'QX7-Dept-D');
  return { rows, needles };
}

function csvOf(rows: Record<string, string | number>[]): string {
  const header = Object.keys(rows[0]!);
  return [header.join(','), ...rows.map((row) => header.map((column) => row[column]).join(','))].join('\n') + '\n';
}

/**
 * Feeds a data set with distinctive employee ids, metadata and energies through the whole fleet —
 * API, worker and exporter, at debug level, with tracing exported — including a refused upload
 * and a job that fails in the worker, and then looks for any of those values in every log line,
 * span, metric, stored failure reason and audit row. Only the results themselves may hold them.
 */
describe('privacy: no personal data in logs, spans, metrics or failure reasons', function () {
  this.timeout(120_000);
  const fleet = new FleetEnv();
  const receiver = new OtlpReceiver();
  const processes: LoggedProcess[] = [];
  let worker: FleetWorker;
  let api: LoggedProcess;
  let exporter: LoggedProcess;
  let apiPorts: { port: number; metrics_port: number };
  let exporterPort: number;
  let token: string;

  before(async () => {
    await fleet.setUp();
    const endpoint = await receiver.start();
    const common = { LOG_LEVEL: 'debug', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100' };
    worker = await fleet.startWorker(common);
    api = LoggedProcess.insights(
      'api',
      fleet.env({ ...common, INSIGHTS_API_PORT: '0', INSIGHTS_API_HOST: '127.0.0.1', INSIGHTS_METRICS_PORT: '0', INSIGHTS_METRICS_HOST: '127.0.0.1' }),
    );
    exporter = LoggedProcess.insights('exporter', fleet.env({ ...common, INSIGHTS_EXPORTER_PORT: '0', INSIGHTS_EXPORTER_HOST: '127.0.0.1' }));
    processes.push(api, exporter);
    const ready = await api.waitFor((line) => line.msg === 'api ready', "'api ready'");
    apiPorts = { port: Number(ready.port), metrics_port: Number(ready.metrics_port) };
    exporterPort = Number((await exporter.waitFor((line) => line.msg === 'exporter ready', "'exporter ready'")).port);
    token = (await fleet.store.createToken('privacy-org', 'privacy test')).token;
  });

  after(async () => {
    await Promise.all(processes.map((process) => process.stop()));
    await fleet.tearDown();
    await receiver.stop();
  });

  async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`http://127.0.0.1:${apiPorts.port}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function text(url: string): Promise<string> {
    return (await fetch(url)).text();
  }

  it('keeps every id, metadata value and energy out of everything but the results', async () => {
    const { rows, needles } = people(40);
    const recorders = { clustering: await fleet.record(QUEUES.clustering), teams: await fleet.record(QUEUES.teamFormation) };
    const ended: { id: string; queue: QueueName; event: string }[] = [];
    const settle = async (id: string, queue: QueueName) => {
      const outcome = await (queue === QUEUES.clustering ? recorders.clustering : recorders.teams).outcome(id);
      ended.push({ id, queue, event: outcome.event });
    };

    const clustering = await call('/api/v1/jobs/clustering?method=hybrid&clusters=4', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csvOf(rows),
    });
    expect(clustering.status).to.equal(202);
    const teams = await call('/api/v1/jobs/team-formation', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        employees: rows,
        method: 'esn',
        clusters: 4,
        team_size: '4-6',
        spread_by: 'department',
        keep_apart: [[rows[0]!.employee_id, rows[1]!.employee_id]],
      }),
    });
    expect(teams.status).to.equal(202);
    // Fails in the worker: the pair names somebody who is not in the data.
    const failing = await call('/api/v1/jobs/team-formation', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ employees: rows, method: 'kmeans', clusters: 4, teams: 5, keep_apart: [[rows[2]!.employee_id, 'pii-qx7-ghost']] }),
    });
    expect(failing.status).to.equal(202);
    needles.push('pii-qx7-ghost');
    // Refused at the door: a duplicate id and a negative energy; the answer may quote them, to the caller only.
    const bad = rows.slice(0, 8).map((row, i) => ({
      ...row,
      employee_id: i === 3 ? rows[2]!.employee_id! : row.employee_id!,
      red_energy: i === 5 ? `-${row.red_energy}` : row.red_energy!,
    }));
    const refused = await call('/api/v1/jobs/clustering', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csvOf(bad) });
    expect(refused.status).to.equal(422);

    await settle(String(clustering.body.id), QUEUES.clustering);
    await settle(String(teams.body.id), QUEUES.teamFormation);
    await settle(String(failing.body.id), QUEUES.teamFormation);
    expect(ended.map((e) => e.event)).to.deep.equal(['completed', 'completed', 'failed']);
    for (const { id } of ended.slice(0, 2)) {
      const result = await call(`/api/v1/jobs/${id}/result`);
      expect(JSON.stringify(result.body), 'the result does hold the ids: the needles are real').to.include('pii-qx7-000');
    }
    await call('/api/v1/jobs?limit=10');
    // The salt behind a report's pseudonyms is a secret too: it must not reach a span's URL.
    const report = await fetch(`http://127.0.0.1:${apiPorts.port}/api/v1/jobs/${ended[0]!.id}/report?salt=qx7-pseudonym-salt-5521`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(report.status).to.equal(200);
    expect(await report.text()).not.to.include('pii-qx7-000');
    needles.push('qx7-pseudonym-salt-5521');

    await receiver.spansWhere((spans) => spans.filter((s) => s.name === 'clustering.save').length >= 3);
    const failedReasons = await Promise.all(ended.map(async ({ id, queue }) => (await fleet.queue(queue).getJob(id))?.failedReason ?? ''));
    // Three submissions, two result reads and a listing; the API writes its audit rows in batches.
    const auditRows = () => fleet.db.query(`SELECT * FROM ${pg.escapeIdentifier(fleet.schema)}.audit_log`);
    await eventually(
      async () => (await auditRows()).rowCount! >= 6,
      () => 'the audit rows of every request',
    );
    const audit = await auditRows();
    const haystacks: Record<string, string> = {
      'api log': api.lines.map((line) => line.raw ?? JSON.stringify(line)).join('\n'),
      'worker log': worker.logs.map((line) => JSON.stringify(line)).join('\n') + worker.stderr,
      'exporter log': exporter.lines.map((line) => line.raw ?? JSON.stringify(line)).join('\n'),
      spans: receiver.received.map((r) => r.body.toString('utf8')).join('\n'),
      'api metrics': await text(`http://127.0.0.1:${apiPorts.metrics_port}/metrics`),
      'worker metrics': await text(`http://127.0.0.1:${worker.port}/metrics`),
      'exporter metrics': await text(`http://127.0.0.1:${exporterPort}/metrics`),
      'failure reasons': failedReasons.join('\n'),
      'audit log': JSON.stringify(audit.rows),
    };

    // The haystacks are the real thing: debug lines, spans of every job, the failure and its code.
    expect(haystacks['worker log']).to.include(String(clustering.body.id));
    expect(haystacks.spans).to.include('clustering.teams');
    expect(haystacks['failure reasons']).to.match(/INVALID_INPUT/);
    expect(haystacks['exporter metrics']).to.include('organization="privacy-org"');

    const leaks = Object.entries(haystacks).flatMap(([where, hay]) => needles.filter((needle) => hay.includes(needle)).map((needle) => `${where}: ${needle}`));
    expect(leaks, 'personal values found').to.deep.equal([]);
  });
});
