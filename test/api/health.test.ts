import { once } from 'node:events';
import { expect } from 'chai';
import { LocalRedis } from '../helpers/local-redis.js';
import { ApiEnv, type TestApi } from './helpers.js';

interface HealthBody {
  status: string;
  checks: Record<string, { status: string; message: string; duration_ms: number; details: Record<string, unknown> }>;
}

describe('api: health', function () {
  this.timeout(60_000);
  const env = new ApiEnv();
  const redis = new LocalRedis();
  let api: TestApi;

  before(async () => {
    await env.setUp();
    await redis.start();
    api = await env.api({ REDIS_URL: redis.url });
  });
  after(async () => {
    await redis.stop();
    await env.tearDown();
  });

  async function health(url = '/api/health'): Promise<{ statusCode: number; body: HealthBody; retryAfter: unknown }> {
    const response = await api.app.inject({ url });
    return { statusCode: response.statusCode, body: response.json() as HealthBody, retryAfter: response.headers['retry-after'] };
  }

  it('reports four healthy checks, each with status, message, duration and details (200)', async () => {
    const { statusCode, body } = await health();
    expect(statusCode).to.equal(200);
    expect(body.status).to.equal('healthy');
    expect(body.checks).to.have.keys(['database', 'redis', 'clustering', 'disk_space']);
    for (const [name, check] of Object.entries(body.checks)) {
      expect(check, name).to.have.keys(['status', 'message', 'duration_ms', 'details']);
      expect(check.status, `${name}: ${check.message}`).to.equal('healthy');
      expect(check.duration_ms).to.be.a('number').and.at.least(0);
    }
    expect(body.checks.database!.details.timeout_ms).to.equal(5_000);
    expect(body.checks.redis!.details.timeout_ms).to.equal(3_000);
    expect(body.checks.clustering!.details).to.include({ timeout_ms: 10_000, n: 16, k: 4 });
    expect(body.checks.disk_space!.details.free_bytes).to.be.a('number');
    expect((await health('/api/health/live')).body).to.deep.equal({ status: 'alive' });
    expect((await health('/api/health/ready')).statusCode).to.equal(200);
  });

  it('turns unhealthy (503) while Redis is down and healthy again once it is back', async () => {
    const closed = once(api.redis, 'close');
    await redis.stop();
    await closed;
    const down = await health();
    expect(down.statusCode).to.equal(503);
    expect(down.retryAfter).to.equal('5');
    expect(down.body.status).to.equal('unhealthy');
    expect(down.body.checks.redis!.status).to.equal('unhealthy');
    expect(down.body.checks.redis!.message).to.not.match(/ECONNREFUSED|127\.0\.0\.1/);
    expect(down.body.checks.database!.status).to.equal('healthy');
    expect(await health('/api/health/ready')).to.include({ statusCode: 503, retryAfter: '5' });
    expect((await health('/api/health/live')).statusCode).to.equal(200);

    const ready = once(api.redis, 'ready');
    await redis.start();
    await ready;
    const up = await health();
    expect(up.statusCode).to.equal(200);
    expect(up.body.status).to.equal('healthy');
    expect((await health('/api/health/ready')).statusCode).to.equal(200);
  });
});
