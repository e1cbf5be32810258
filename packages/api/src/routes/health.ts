import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../deps.js';
import { RETRY_AFTER_UNAVAILABLE_S } from '../errors.js';
import { healthDocument, readiness, type HealthSources } from '../health.js';
import { openApiDocument } from '../openapi.js';

/** `/api/health`, `/api/health/live`, `/api/health/ready` and `/api/docs/openapi.json`: no token needed. */
export function registerPublicRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const sources: HealthSources = { db: deps.db, redis: deps.redis, log: deps.log.child({ component: 'health' }) };
  if (deps.diskPath !== undefined) sources.diskPath = deps.diskPath;

  app.get('/api/health', async (_request, reply) => {
    const health = await healthDocument(sources);
    if (health.status === 'unhealthy') reply.code(503).header('retry-after', String(RETRY_AFTER_UNAVAILABLE_S));
    return health;
  });

  app.get('/api/health/live', async () => ({ status: 'alive' }));

  app.get('/api/health/ready', async (_request, reply) => {
    const health = await readiness(sources);
    const draining = deps.draining?.() === true;
    if (health.status === 'unhealthy' || draining) reply.code(503).header('retry-after', String(RETRY_AFTER_UNAVAILABLE_S));
    return draining ? { ...health, status: 'unhealthy', draining: true } : health;
  });

  const document = JSON.stringify(openApiDocument());
  app.get('/api/docs/openapi.json', async (_request, reply) => {
    reply.type('application/json');
    return document;
  });
}
