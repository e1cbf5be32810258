import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { sampleOf } from '../helpers/exposition.js';
import { ExporterProcess, samplesOf, type Scrape } from './exporter-process.js';
import { LocalRedis } from '../helpers/local-redis.js';

const QUEUE_GAUGES = ['insights_queue_jobs', 'insights_queue_oldest_waiting_age_seconds', 'insights_queue_workers', 'clustering_active_jobs'];

/** Asserts a scrape that answered without Redis: 200, up 0, and no queue gauge pretending to be fresh. */
function expectDown(scrape: Scrape, what: string): void {
  expect(scrape.status, what).to.equal(200);
  expect(sampleOf(scrape.metrics, 'insights_exporter_up'), what).to.equal(0);
  for (const name of QUEUE_GAUGES) expect(samplesOf(scrape.metrics, name), `${name} ${what}`).to.have.length(0);
}

describe('exporter: its Redis goes away and comes back (own redis-server)', function () {
  this.timeout(60_000);
  const redis = new LocalRedis();
  let exporter: ExporterProcess | undefined;

  before(() => redis.start());
  after(async () => {
    await exporter?.stop();
    await redis.stop();
  });

  it('answers every scrape quickly with insights_exporter_up 0 while Redis is down or hung, and 1 once it is back', async () => {
    exporter = await ExporterProcess.start({
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `exp-down-${randomBytes(4).toString('hex')}`,
      INSIGHTS_EXPORTER_SCRAPE_TIMEOUT_MS: '1000',
    });
    const up = await exporter.scrape();
    expect(sampleOf(up.metrics, 'insights_exporter_up')).to.equal(1);
    expect(sampleOf(up.metrics, 'insights_queue_jobs', { queue: 'clustering', state: 'waiting' })).to.equal(0);

    await redis.stop();
    await exporter.waitFor((line) => line.msg === 'redis unreachable; scrapes report insights_exporter_up 0 until it is back', 'that Redis is unreachable');
    const down = await exporter.scrape();
    expectDown(down, 'with Redis stopped');
    expect(down.ms, 'a scrape without Redis answers at once').to.be.below(500);
    const health = await fetch(`http://127.0.0.1:${exporter.port}/health`);
    expect(health.status).to.equal(200);
    expect(((await health.json()) as { status: string }).status).to.equal('degraded');

    const since = exporter.logs.length;
    await redis.start();
    await exporter.waitFor((line) => line.msg === 'redis connected', 'that Redis is back', since);
    const back = await exporter.scrape();
    expect(sampleOf(back.metrics, 'insights_exporter_up'), 'up again after the restart').to.equal(1);
    expect(samplesOf(back.metrics, 'insights_queue_jobs')).to.have.length(14);
  });

  it('bounds a scrape by the timeout when Redis hangs (SIGSTOP), then recovers on SIGCONT', async () => {
    exporter ??= await ExporterProcess.start({ REDIS_URL: redis.url, QUEUE_PREFIX: `exp-down-${randomBytes(4).toString('hex')}` });
    expect(sampleOf((await exporter.scrape()).metrics, 'insights_exporter_up')).to.equal(1);
    const pid = redis.pid;
    process.kill(pid, 'SIGSTOP');
    try {
      const hung = await exporter.scrape();
      expectDown(hung, 'with Redis hung');
      expect(hung.ms, 'the scrape waits no longer than its timeout (1 s) and a little').to.be.within(900, 1900);
      expect(sampleOf(hung.metrics, 'insights_exporter_scrape_duration_seconds')).to.be.within(0.9, 1.5);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const back = await exporter.scrape();
    expect(sampleOf(back.metrics, 'insights_exporter_up')).to.equal(1);
  });

  it('starts while Redis is down, serving up 0, and listens to the queues once it is there', async () => {
    await exporter?.stop();
    await redis.stop();
    exporter = new ExporterProcess({ REDIS_URL: redis.url, QUEUE_PREFIX: `exp-down-${randomBytes(4).toString('hex')}` });
    await exporter.waitFor((line) => line.msg === 'exporter ready', 'that it serves');
    await exporter.waitFor((line) => line.msg === 'redis unreachable; scrapes report insights_exporter_up 0 until it is back', 'that Redis is unreachable');
    expectDown(await exporter.scrape(), 'before Redis ever answered');
    await redis.start();
    await exporter.waitFor((line) => line.msg === 'listening to queue events', 'that it listens to the queues');
    expect(sampleOf((await exporter.scrape()).metrics, 'insights_exporter_up')).to.equal(1);
  });

  it('stops on SIGTERM, closing everything, with exit status 0', async () => {
    exporter ??= await ExporterProcess.start({ REDIS_URL: redis.url, QUEUE_PREFIX: `exp-down-${randomBytes(4).toString('hex')}` });
    expect(await exporter.terminate()).to.deep.equal({ code: 0, signal: null });
    expect(exporter.logs.map((line) => line.msg)).to.include.members(['stopping', 'exporter stopped']);
  });
});

describe('insights exporter: configuration', () => {
  it('exits 2 listing every problem', async () => {
    const exporter = new ExporterProcess({ INSIGHTS_EXPORTER_PORT: 'many', INSIGHTS_EXPORTER_MAX_ORGS: '0' });
    expect(await exporter.exited).to.deep.equal({ code: 2, signal: null });
    expect(exporter.stderr).to.include('INSIGHTS_EXPORTER_PORT').and.to.include('INSIGHTS_EXPORTER_MAX_ORGS');
  });
});
