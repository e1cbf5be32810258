import { expect } from 'chai';
import { Counter, Registry } from 'prom-client';
import { timedCheck } from '@insights/runtime';
import { buildExporterHttp } from './http.js';

describe('exporter HTTP', () => {
  it('serves the injected registry on /metrics', async () => {
    const registry = new Registry();
    new Counter({ name: 'probe_total', help: 'a probe', registers: [registry] }).inc(3);
    const app = buildExporterHttp(registry, () => timedCheck('redis', 100, async () => 'PONG'));
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).to.equal(200);
    expect(response.headers['content-type']).to.equal(registry.contentType);
    expect(response.body).to.include('probe_total 3\n');
    await app.close();
  });

  it('stays 200 on /health when Redis does not answer, saying so', async () => {
    const app = buildExporterHttp(new Registry(), () => timedCheck('redis', 30, () => new Promise(() => undefined)));
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).to.equal(200);
    const body = response.json<{ status: string; checks: { redis: { status: string; message: string } } }>();
    expect(body.status).to.equal('degraded');
    expect(body.checks.redis).to.include({ status: 'unhealthy', message: 'redis did not answer within 30 ms' });
    const healthy = buildExporterHttp(new Registry(), () => timedCheck('redis', 100, async () => 'PONG'));
    expect((await healthy.inject({ method: 'GET', url: '/health' })).json()).to.have.property('status', 'healthy');
    await Promise.all([app.close(), healthy.close()]);
  });
});
