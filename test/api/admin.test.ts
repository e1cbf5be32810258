import { expect } from 'chai';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ConfigError, loadApiConfig, startApi, type RunningApi } from '@insights/api';
import { REDIS_URL } from '../helpers/services.js';
import { ApiEnv, LogSink, problemOf } from './helpers.js';

const TOKEN = 'admin-token-for-tests-0123456789abcdef';

describe('api: the operators’ queue view (bull-board on the metrics port)', function () {
  this.timeout(60_000);
  const env = new ApiEnv();
  const logs = new LogSink();
  const running: RunningApi[] = [];
  let connection: Redis;
  let clustering: Queue;

  /** Starts the API on free ports with extra configuration; the queue view is on `metricsPort`. */
  async function start(extra: Record<string, string>): Promise<{ base: string; api: RunningApi }> {
    const config = env.listeningConfig(extra);
    const api = await startApi(config, { log: logs.logger('debug'), audit: logs.logger() });
    running.push(api);
    return { base: `http://127.0.0.1:${api.metricsPort}/admin/queues`, api };
  }

  const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
  const bearerOf = (token: string) => ({ authorization: `Bearer ${token}` });

  before(async () => {
    await env.setUp();
    connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    clustering = new Queue('clustering', { connection, prefix: env.prefix });
  });
  after(async () => {
    await Promise.all(running.splice(0).map((api) => api.stop()));
    await clustering.close();
    await connection.quit();
    await env.tearDown();
  });

  it('is configured by INSIGHTS_ADMIN_TOKEN (24 characters at least) and INSIGHTS_ADMIN_WRITE, every problem at once, never echoing the token', () => {
    const defaults = loadApiConfig({});
    expect([defaults.INSIGHTS_ADMIN_TOKEN, defaults.INSIGHTS_ADMIN_WRITE]).to.deep.equal([undefined, false]);
    expect(loadApiConfig({ INSIGHTS_ADMIN_TOKEN: '' }).INSIGHTS_ADMIN_TOKEN).to.equal(undefined);
    expect(loadApiConfig({ INSIGHTS_ADMIN_TOKEN: TOKEN, INSIGHTS_ADMIN_WRITE: 'true' })).to.include({
      INSIGHTS_ADMIN_TOKEN: TOKEN,
      INSIGHTS_ADMIN_WRITE: true,
    });
    const short = 'tooShortSecret-1234';
    try {
      loadApiConfig({ INSIGHTS_ADMIN_TOKEN: short, INSIGHTS_ADMIN_WRITE: 'yes', INSIGHTS_API_PORT: '-1' });
      expect.fail('expected a ConfigError');
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems.map((p) => p.split(':')[0])).to.have.members(['INSIGHTS_ADMIN_TOKEN', 'INSIGHTS_ADMIN_WRITE', 'INSIGHTS_API_PORT']);
      expect(problems.find((p) => p.startsWith('INSIGHTS_ADMIN_TOKEN'))).to.equal('INSIGHTS_ADMIN_TOKEN: expected at least 24 characters');
      expect((error as Error).message).not.to.include(short);
    }
  });

  it('is not mounted without a token: /admin/queues answers 404', async () => {
    const { base } = await start({});
    expect((await fetch(base)).status).to.equal(404);
    expect((await fetch(`${base}/api/queues`, { headers: bearerOf(TOKEN) })).status).to.equal(404);
  });

  it('asks browsers to log in (Basic, any user name), takes a bearer token too, and refuses anything else', async () => {
    const { base } = await start({ INSIGHTS_ADMIN_TOKEN: TOKEN });
    for (const headers of [
      {},
      basic('ops', 'wrong-password'),
      basic('ops', `${TOKEN}x`),
      bearerOf(TOKEN.slice(1)),
      { authorization: TOKEN },
      basic(TOKEN, ''),
    ]) {
      const refused = await fetch(base, { headers });
      expect(refused.status, JSON.stringify(headers)).to.equal(401);
      expect(refused.headers.get('www-authenticate')).to.equal('Basic realm="insights admin", charset="UTF-8"');
      expect(
        problemOf({ statusCode: refused.status, headers: { 'content-type': refused.headers.get('content-type') }, body: await refused.text() }).code,
      ).to.equal('UNAUTHORIZED');
    }
    expect((await fetch(`${base}/static/favicon-32x32.png`)).status, 'static files too').to.equal(401);
    const page = await fetch(base, { headers: basic('anyone', TOKEN) });
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
    expect(page.headers.get('x-frame-options')).to.equal('DENY');
    expect(await page.text()).to.include('<base href="/admin/queues/"');
    expect((await fetch(`${base}/static/favicon-32x32.png`, { headers: basic('', TOKEN) })).status).to.equal(200);
    expect((await fetch(`${base}/api/queues`, { headers: bearerOf(TOKEN) })).status).to.equal(200);
  });

  it('shows both queues read-only, and refuses retry, clean and remove through its API', async () => {
    const { base } = await start({ INSIGHTS_ADMIN_TOKEN: TOKEN });
    const job = await clustering.add('clustering', { probe: true });
    const view = (await (await fetch(`${base}/api/queues?activeQueue=clustering&status=waiting&page=1`, { headers: bearerOf(TOKEN) })).json()) as {
      queues: { name: string; readOnlyMode: boolean; allowRetries: boolean; counts: Record<string, number>; jobs: { id: string }[] }[];
    };
    expect(view.queues.map((q) => q.name)).to.have.members(['clustering', 'team-formation']);
    expect(view.queues.every((q) => q.readOnlyMode && !q.allowRetries)).to.equal(true);
    const queue = view.queues.find((q) => q.name === 'clustering')!;
    expect(queue.counts.waiting).to.equal(1);
    expect(queue.jobs.map((j) => j.id)).to.deep.equal([job.id]);
    for (const path of [
      `clustering/${job.id}/clean`,
      `clustering/${job.id}/retry`,
      'clustering/clean/waiting',
      'clustering/retry/failed',
      'clustering/empty',
      'clustering/pause',
    ]) {
      const refused = await fetch(`${base}/api/queues/${path}`, { method: 'PUT', headers: bearerOf(TOKEN) });
      expect(refused.status, path).to.equal(405);
    }
    expect(await clustering.getJobState(job.id!)).to.equal('waiting');
    expect(await clustering.isPaused()).to.equal(false);
    await job.remove();
  });

  it('may change the queues with INSIGHTS_ADMIN_WRITE=true, but never from another site', async () => {
    const { base } = await start({ INSIGHTS_ADMIN_TOKEN: TOKEN, INSIGHTS_ADMIN_WRITE: 'true' });
    const job = await clustering.add('clustering', { probe: 'write' });
    const crossSite = await fetch(`${base}/api/queues/clustering/${job.id}/clean`, {
      method: 'PUT',
      headers: { ...bearerOf(TOKEN), origin: 'https://attacker.example' },
    });
    expect(crossSite.status).to.equal(403);
    expect(await clustering.getJobState(job.id!)).to.equal('waiting');
    const cleaned = await fetch(`${base}/api/queues/clustering/${job.id}/clean`, { method: 'PUT', headers: bearerOf(TOKEN) });
    expect(cleaned.status).to.be.within(200, 204);
    expect(await clustering.getJobState(job.id!)).to.equal('unknown');
  });

  it('never writes the admin token to a log line', () => {
    expect(logs.text.length).to.be.greaterThan(0);
    expect(logs.lines.filter((line) => line.msg === 'queue view mounted')).to.have.length(3);
    for (const line of logs.text) expect(line).not.to.include(TOKEN);
  });
});
