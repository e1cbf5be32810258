import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES, type JobSummary } from '@insights/jobs';
import { deleteKeys } from '../helpers/redis-keys.js';
import { REDIS_URL } from '../helpers/services.js';
import { ExporterProcess } from './exporter-process.js';
import { EXPORTER_FAMILIES } from './labels.js';

/** Runs `promtool check metrics` on a text, as Prometheus' own linter. */
function promtoolCheck(text: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
    child.stdin.end(text);
  });
}

describe('exporter: exposition checked by promtool', function () {
  this.timeout(60_000);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = `exp-promtool-${randomBytes(5).toString('hex')}`;
  const queues = [QUEUES.clustering, QUEUES.teamFormation, 'reports'];
  let exporter: ExporterProcess | undefined;

  after(async () => {
    await exporter?.stop();
    await deleteKeys(redis, `${prefix}:*`);
    await redis.quit();
  });

  it('passes `promtool check metrics`, each family once however many queues', async () => {
    exporter = await ExporterProcess.start({ REDIS_URL, QUEUE_PREFIX: prefix, INSIGHTS_EXPORTER_QUEUES: queues.join(',') });
    const queue = new Queue(QUEUES.clustering, { connection: redis, prefix });
    const summary: JobSummary = {
      kind: 'clustering',
      organization: 'Zürich "quoted" \\ org',
      method: 'hybrid',
      k: 5,
      n: 40,
      durations_ms: { queued: 12, run: 340, save: 3 },
      quality: { silhouette: 0.31, calinski_harabasz: 88.2, davies_bouldin: 1.1, stability: null },
      fallback: true,
    };
    const worker = new Worker(QUEUES.clustering, async () => summary, { connection: redis, prefix });
    try {
      const job = await queue.add('cluster', { organization: summary.organization, options: {} });
      await queue.add('cluster', { organization: 'acme', options: {} }, { delay: 60_000 });
      await exporter.recorded('completed', job.id!);
    } finally {
      await worker.close();
      await queue.close();
    }
    const { text } = await exporter.scrape();
    expect(text).to.include('organization="Zürich \\"quoted\\" \\\\ org"');

    const checked = await promtoolCheck(text);
    expect(checked.output, 'promtool has nothing to say').to.equal('');
    expect(checked.status).to.equal(0);

    const types = [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!);
    expect(types.length, 'no family twice').to.equal(new Set(types).size);
    expect(types).to.include.members(EXPORTER_FAMILIES);
    expect(text.match(/^insights_queue_workers\{/gm), 'one series per watched queue').to.have.length(queues.length);
  });
});
