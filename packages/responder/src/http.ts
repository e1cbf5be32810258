import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Registry } from 'prom-client';
import type { CheckResult } from '@insights/runtime';
import { bearerMatches } from './auth.js';
import type { HandledAlert } from './responder.js';
import { parseWebhook, type AlertmanagerWebhook } from './webhook.js';

/** The media type of every error answer (RFC 9457). */
const PROBLEM_CONTENT_TYPE = 'application/problem+json';

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

const TITLES: Record<number, string> = { 400: 'Invalid request', 401: 'Unauthorized', 404: 'Not found', 413: 'Payload too large', 415: 'Unsupported media type', 503: 'Service unavailable' };
const CODES: Record<number, string> = { 400: 'INVALID_REQUEST', 401: 'UNAUTHORIZED', 404: 'NOT_FOUND', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 503: 'UNAVAILABLE' };

function problem(reply: FastifyReply, status: number, detail: string, errors?: string[]): FastifyReply {
  const code = CODES[status] ?? 'INTERNAL';
  const body = { type: `urn:insights:problem:${code.toLowerCase().replaceAll('_', '-')}`, title: TITLES[status] ?? 'Internal error', status, detail, code, request_id: String(reply.request.id), ...(errors ? { errors } : {}) };
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(body);
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
    const status = error.statusCode ?? 500;
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return problem(reply, 400, 'the body is not valid JSON');
    if (status >= 400 && status < 500) return problem(reply, status, 'the request cannot be read (see the status)');
    options.onError(error, String(request.id));
    return problem(reply, 503, 'the alert could not be recorded; Alertmanager will retry');
  });
  app.setNotFoundHandler((_request, reply) => problem(reply, 404, 'no such route: POST /alerts, GET /health, GET /metrics'));

  app.post('/alerts', {
    onRequest: async (request, reply) => {
      if (bearerMatches(request.headers.authorization, options.secret)) return;
      reply.header('www-authenticate', 'Bearer realm="insights-responder"');
      return problem(reply, 401, 'send Authorization: Bearer <RESPONDER_SECRET>');
    },
    handler: async (request, reply) => {
      const parsed = parseWebhook(request.body);
      if (!parsed.ok) return problem(reply, 400, 'the body is not an Alertmanager webhook notification (version 4)', parsed.problems);
      const alerts = await options.handle(parsed.webhook);
      return { status: 'recorded', alerts };
    },
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', options.registry.contentType);
    return options.registry.metrics();
  });

  app.get('/health', async (_request, reply) => {
    const checks = await options.checks();
    const healthy = Object.values(checks).every((c) => c.status === 'healthy');
    reply.code(healthy ? 200 : 503);
    return { status: healthy ? 'healthy' : 'unhealthy', checks };
  });
  return app;
}
