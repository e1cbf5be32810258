import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createPool } from '@insights/store';
import { IncidentStore } from '@insights/store/incidents';
import { deleteKeys } from '../helpers/redis-keys.js';
import { DATABASE_URL, REDIS_URL } from '../helpers/services.js';
import { tempFolder } from '../helpers/temp-files.js';
import { freePort } from '../helpers/processes.js';
import { LoggedProcess } from '../helpers/processes.js';

const run = promisify(execFile);

/** Debian's package installs the server as prometheus-alertmanager; upstream calls it alertmanager. */
function alertmanagerBinary(): string {
  const found = ['/usr/bin/prometheus-alertmanager', '/usr/bin/alertmanager', '/usr/local/bin/alertmanager'].find((path) => existsSync(path));
  if (!found) throw new Error('no alertmanager binary: apt-get install prometheus-alertmanager (scripts/ensure-services.sh does)');
  return found;
}

/** A route sending every alert to the responder at once, with the bearer secret. */
function alertmanagerConfig(responderPort: number, secret: string): string {
  return `route:
  receiver: responder
  group_by: [alertname, service, queue]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: responder
    webhook_configs:
      - url: http://127.0.0.1:${responderPort}/alerts
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: ${secret}
`;
}

describe('responder end to end: a real Alertmanager routes an amtool alert to `insights responder`', function () {
  this.timeout(60_000);
  const secret = randomBytes(24).toString('hex');
  const schema = `responder_e2e_${randomBytes(4).toString('hex')}`;
  const prefix = `responder-e2e-${randomBytes(4).toString('hex')}`;
  const db: pg.Pool = createPool(DATABASE_URL, { max: 2 });
  const incidents = new IncidentStore(db, schema);
  const folder = tempFolder('responder-e2e');
  let responder: LoggedProcess | undefined;
  let alertmanager: LoggedProcess | undefined;
  let amUrl = '';

  before(async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      RESPONDER_SECRET: secret,
      RESPONDER_PORT: '0',
      RESPONDER_HOST: '127.0.0.1',
      REDIS_URL,
      DATABASE_URL,
      DATABASE_SCHEMA: schema,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'debug',
    };
    delete env.NODE_OPTIONS;
    delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
    responder = LoggedProcess.insights('responder', env);
    const ready = await responder.waitForLog({ msg: 'responder ready' });
    const responderPort = ready.port as number;

    const configFile = folder.write('alertmanager.yml', alertmanagerConfig(responderPort, secret));
    const amPort = await freePort();
    amUrl = `http://127.0.0.1:${amPort}`;
    alertmanager = new LoggedProcess(
      'alertmanager',
      alertmanagerBinary(),
      [
        `--config.file=${configFile}`,
        `--storage.path=${join(folder.dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        '--cluster.listen-address=',
        '--log.level=debug',
      ],
      { PATH: process.env.PATH },
    );
    await alertmanager.waitFor((line) => String(line.raw).includes('msg="Listening on"'), 'that it listens');
  });

  after(async () => {
    await alertmanager?.stop();
    await responder?.stop();
    const redis = new Redis(REDIS_URL);
    await deleteKeys(redis, `${prefix}:*`);
    await redis.quit();
    await db.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    await db.end();
    folder.cleanup();
  });

  it('records the firing alert with a snapshot, then its resolution, and stops on SIGTERM', async () => {
    const start = new Date(Date.now() - 10_000);
    await run('amtool', [
      'alert',
      'add',
      'HighErrorRate',
      'service=api',
      'severity=critical',
      '--annotation=summary=test alert from amtool',
      `--start=${start.toISOString()}`,
      `--alertmanager.url=${amUrl}`,
    ]);
    const recorded = await responder!.waitForLog({ msg: 'incident recorded', alertname: 'HighErrorRate', change: 'new' });

    const [incident] = await incidents.listIncidents();
    expect(incident).to.include({
      id: recorded.incident_id,
      alertname: 'HighErrorRate',
      status: 'firing',
      severity: 'critical',
      service: 'api',
      queue: null,
      summary: 'test alert from amtool',
    });
    expect(incident!.fingerprint).to.match(/^[0-9a-f]{16}$/);
    expect(incident!.startsAt.getTime()).to.equal(start.getTime());
    await responder!.waitForLog({ msg: 'snapshot done', incident_id: incident!.id });
    expect((await incidents.listIncidentActions(incident!.id)).map((a) => `${a.action}:${a.outcome}`)).to.deep.equal(['snapshot:ok']);

    await run('amtool', [
      'alert',
      'add',
      'HighErrorRate',
      'service=api',
      'severity=critical',
      '--annotation=summary=test alert from amtool',
      `--start=${start.toISOString()}`,
      `--end=${new Date(Date.now() - 1000).toISOString()}`,
      `--alertmanager.url=${amUrl}`,
    ]);
    await responder!.waitForLog({ msg: 'incident recorded', incident_id: incident!.id, change: 'resolved' });
    const [resolved] = await incidents.listIncidents();
    expect(resolved).to.include({ id: incident!.id, status: 'resolved' });

    const exit = await responder!.terminate();
    expect(exit).to.deep.equal({ code: 0, signal: null });
    expect(responder!.lines.some((line) => line.msg === 'responder stopped')).to.equal(true);
    expect(responder!.output.map((line) => line.text).join('\n')).not.to.include(secret);
  });
});
