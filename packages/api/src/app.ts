import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { PROBLEM_CONTENT_TYPE } from '@insights/runtime';
import { nameRequestSpan } from '@insights/telemetry';
import { InsightsClient } from '@insights/producer';
import { Store } from '@insights/store';
import { authenticate } from './auth.js';
import { RefusalLimiter } from './refusal-limiter.js';
import type { ApiDeps, RouteDeps } from './deps.js';
import { refuseClientError } from './client-errors.js';
import { ApiError, RETRY_AFTER_UNAVAILABLE_S } from './errors.js';
import { endpointOf, requestMetricsHook } from './metrics.js';
import { allowedMethods } from './method-not-allowed.js';
import { build, toProblem, type Problem } from './problem.js';
import { registerPublicRoutes } from './routes/health.js';
import { registerJobRoutes } from './routes/jobs.js';
import { registerReportRoutes } from './routes/report.js';
import { registerSubmitRoutes } from './routes/submit.js';
import './context.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The longest job id (idempotent ids included); the router takes path parameters up to it. */
const MAX_JOB_ID = 200;
/** What a job id can look like (UUIDs, idempotent ids); anything else is no job, and is not looked up or audited. */
const JOB_ID = new RegExp(`^[A-Za-z0-9._:-]{1,${MAX_JOB_ID}}$`);

/** A caller's X-Request-Id when it is a plain token, else a fresh UUID (never raw header text in logs). */
function requestIdOf(request: { headers: Record<string, string | string[] | undefined> }): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Builds the HTTP API on connections the caller owns (and closes): `/api/v1` behind bearer tokens
 * and a per-organisation rate limit, the public health and OpenAPI routes, problem+json errors,
 * request metrics and the audit log. `listen()` is the caller's (main.ts); tests use `inject()`.
 */
export function buildApp(deps: ApiDeps): FastifyInstance {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    // One line per request, from the onResponse hook below, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    bodyLimit: Math.floor(config.INSIGHTS_MAX_BODY_MB * 1024 * 1024),
    // A `__proto__` key is data (a metadata column may be named so): JSON.parse makes it an own
    // property, and nothing here copies a body with assignment, so it cannot reach a prototype.
    onProtoPoisoning: 'ignore',
    genReqId: requestIdOf,
    // Fastify's default (100) answers a longer job id 414 before the route can say it is no job.
    routerOptions: { maxParamLength: MAX_JOB_ID },
    // Refusals made before routing (a bad URL, a parameter longer still) take the same problem+json path.
    frameworkErrors: (error, request, reply) => {
      reply.header('x-request-id', request.id);
      const problem = answer(error, request, reply);
      request.log.info({ method: request.method, status: problem.status, code: problem.code }, 'request refused before routing');
    },
    clientErrorHandler: refuseClientError(deps.log),
  });
  const client = new InsightsClient({ redis: deps.redis, db: deps.db, prefix: config.QUEUE_PREFIX, schema: config.DATABASE_SCHEMA });
  const store = new Store(deps.db, config.DATABASE_SCHEMA);
  const routeDeps: RouteDeps = { ...deps, client, store };

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    nameRequestSpan(request.method, endpointOf(request));
  });
  app.addHook('onResponse', requestMetricsHook(deps.metrics));
  app.addHook('onResponse', async (request, reply) => {
    const outcome = reply.statusCode < 400 ? 'ok' : (request.problemCode ?? String(reply.statusCode));
    if (request.auditNote && request.principal) {
      deps.audit.record({ ...request.principal, action: request.auditNote.action, jobId: request.auditNote.jobId, outcome, requestId: request.id });
    }
    request.log.info(
      {
        method: request.method,
        route: endpointOf(request),
        status: reply.statusCode,
        duration_ms: Math.round(reply.elapsedTime * 100) / 100,
        organization: request.principal?.organization,
      },
      'request answered',
    );
  });
  app.addHook('onClose', async () => client.close());

  function answer(error: unknown, request: FastifyRequest, reply: FastifyReply): Problem {
    const { problem, internal } = toProblem(error, { requestId: request.id, maxBodyMb: config.INSIGHTS_MAX_BODY_MB });
    if (internal) request.log.error({ err: error, code: problem.code }, 'request failed');
    request.problemCode = problem.code;
    // A service outage is worth retrying: say when (about the health checks' timeout).
    if (problem.status === 503) reply.header('retry-after', String(RETRY_AFTER_UNAVAILABLE_S));
    void reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
    return problem;
  }
  app.setErrorHandler((error, request, reply) => {
    answer(error, request, reply);
    return reply;
  });
  app.setNotFoundHandler((request: FastifyRequest, reply) => {
    const path = request.url.split('?', 1)[0]!;
    const allow = allowedMethods(request.method, path);
    if (allow) {
      request.problemCode = 'METHOD_NOT_ALLOWED';
      reply.header('allow', allow.join(', '));
      return reply
        .code(405)
        .type(PROBLEM_CONTENT_TYPE)
        .send(build('METHOD_NOT_ALLOWED', `${path} does not take ${request.method}: it takes ${allow.join(', ')}`, request.id));
    }
    request.problemCode = 'NOT_FOUND';
    return reply
      .code(404)
      .type(PROBLEM_CONTENT_TYPE)
      .send(build('NOT_FOUND', `no route ${request.method} ${path}`, request.id));
  });

  registerPublicRoutes(app, routeDeps);
  app.register(async (v1) => {
    v1.addHook('onRequest', authenticate(store, deps.audit, new RefusalLimiter(config.INSIGHTS_AUTH_REFUSALS_PER_MINUTE)));
    v1.addHook('preValidation', async (request) => {
      const { id } = (request.params ?? {}) as { id?: string };
      if (id !== undefined && !JOB_ID.test(id)) throw new ApiError('NOT_FOUND', 'no such job');
    });
    await v1.register(rateLimit, {
      // After authentication (onRequest), before the body is read.
      hook: 'preParsing',
      max: config.INSIGHTS_RATE_LIMIT_PER_MINUTE,
      timeWindow: 60_000,
      redis: deps.redis as Redis,
      nameSpace: `${config.QUEUE_PREFIX}:rate-limit:`,
      keyGenerator: (request) => request.principal!.organization,
      // A Redis hiccup must not refuse requests that may not need Redis; those that do answer 503.
      skipOnError: true,
      errorResponseBuilder: (_request, context) =>
        new ApiError(
          'RATE_LIMITED',
          `more than ${context.max} requests a minute from this organisation; retry in ${Math.max(1, Math.ceil(context.ttl / 1000))} s`,
        ),
    });
    // Answers of /api/v1 hold an organisation's data (results name people): no shared or stored copy.
    v1.addHook('onSend', async (_request, reply, payload) => {
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'private, no-store');
      return payload;
    });
    registerSubmitRoutes(v1, routeDeps);
    registerJobRoutes(v1, routeDeps);
    registerReportRoutes(v1, routeDeps);
  });
  return app;
}
