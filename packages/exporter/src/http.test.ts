import { expect } from 'chai';
import { Counter, Registry } from 'prom-client';
import { buildExporterHttp, pingRedis } from './http.js';

describe('exporter HTTP', () => {
  it('serves the injected registry on /metrics', async () => {
    const registry = new Registry();
    new Counter({ name: 'probe_total', help: 'a probe', registers: [registry] }).inc(3);
    const app = buildExporterHttp(registry, () => pingRedis(async () => 'PONG', 100));
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).to.equal(200);
    expect(response.headers['content-type']).to.equal(registry.contentType);
    expect(response.body).to.include('probe_total 3\n');
    await app.close();
  });

  it('stays 200 on /health when Redis does not answer, saying so', async () => {
    const app = buildExporterHttp(new Registry(), () => pingRedis(() => new Promise(() => undefined), 30));
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).to.equal(200);
    const body = response.json<{ status: string; checks: { redis: { status: string; message: string } } }>();
    expect(body.status).to.equal('degraded');
    expect(body.checks.redis).to.include({ status: 'unhealthy', message: 'redis did not answer within 30 ms' });
    const healthy = buildExporterHttp(new Registry(), () => pingRedis(async () => 'PONG', 100));
    expect((await healthy.inject({ method: 'GET', url: '/health' })).json()).to.have.property('status', 'healthy');
    await Promise.all([app.close(), healthy.close()]);
  });
});
