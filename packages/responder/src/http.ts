import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { allHealthy, registerOpsRoutes, type CheckResult } from '@insights/runtime';
import { bearerMatches } from './auth.js';
import type { HandledAlert } from './responder.js';
import { codeOf, sendProblem } from './problems.js';
import { parseWebhook, type AlertmanagerWebhook } from './webhook.js';

/** What the HTTP surface serves. */
export interface ResponderHttpOptions {
  /** The shared secret of `Authorization: Bearer`. */
  secret: string;
  handle(webhook: AlertmanagerWebhook): Promise<HandledAlert[]>;
  registry: Registry;
  checks(): Promise<Record<string, CheckResult>>;
  /** Logs a failed delivery (the error and the request id). */
  onError(error: unknown, requestId: string): void;
}

/**
 * The responder's HTTP surface: `POST /alerts` for Alertmanager's webhook (bearer secret; 400 with
 * every problem for a body that is not a version 4 notification; 503 when the incident could not
 * be recorded, so that Alertmanager retries), `/metrics` and `/health`.
 */
export function buildResponderHttp(options: ResponderHttpOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024 });

  // Alertmanager keeps its connection open between notifications. One busy with a request when the
  // server closes would hold the close open until Alertmanager drops it: end it after its response.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request) => {
    if (closing) request.raw.socket?.end();
  });

  app.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return sendProblem(reply, 'INVALID_REQUEST', 'the body is not valid JSON');
    const code = codeOf(error);
    if (code !== 'UNAVAILABLE') return sendProblem(reply, code, 'the request cannot be read (see the status)');
    options.onError(error, String(request.id));
    return sendProblem(reply, code, 'the alert could not be recorded; Alertmanager will retry');
  });
  app.setNotFoundHandler((_request, reply) => sendProblem(reply, 'NOT_FOUND', 'no such route: POST /alerts, GET /health, GET /metrics'));

  app.post('/alerts', {
    onRequest: async (request, reply) => {
      if (bearerMatches(request.headers.authorization, options.secret)) return;
      reply.header('www-authenticate', 'Bearer realm="insights-responder"');
      return sendProblem(reply, 'UNAUTHORIZED', 'send Authorization: Bearer <RESPONDER_SECRET>');
    },
    handler: async (request, reply) => {
      const parsed = parseWebhook(request.body);
      if (!parsed.ok) return sendProblem(reply, 'INVALID_REQUEST', 'the body is not an Alertmanager webhook notification (version 4)', parsed.problems);
      const alerts = await options.handle(parsed.webhook);
      return { status: 'recorded', alerts };
    },
  });

  registerOpsRoutes(app, {
    registry: options.registry,
    health: async () => {
      const checks = await options.checks();
      return { status: allHealthy(checks) ? 'healthy' : 'unhealthy', checks };
    },
  });
  return app;
}
