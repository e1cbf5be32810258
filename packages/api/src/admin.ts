import { createHash, timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { QUEUE_NAMES } from '@insights/jobs';
import { PROBLEM_CONTENT_TYPE } from '@insights/runtime';
import { build } from './problem.js';

/** Where the queue view lives on the internal (metrics) server. */
const QUEUE_VIEW_PATH = '/admin/queues';

/** The challenge a browser answers with a login dialog. */
const ADMIN_REALM = 'Basic realm="insights admin", charset="UTF-8"';

/** What the queue view needs. */
export interface QueueViewOptions {
  /** INSIGHTS_ADMIN_TOKEN: the password (Basic) or bearer token. Never logged. */
  token: string;
  /** INSIGHTS_ADMIN_WRITE: allow retry, clean, remove, pause and add; otherwise read-only. */
  write: boolean;
  /** Redis of the queues; shared, not closed here. */
  redis: Redis | Cluster;
  /** QUEUE_PREFIX. */
  prefix: string;
  log: Logger;
}

/** A mounted queue view: close its queue handles when the server stops. */
export interface QueueView {
  readOnly: boolean;
  close(): Promise<void>;
}

const digest = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();

/**
 * The secret a request offers: the password of `Authorization: Basic` (any user name), or the
 * token of `Authorization: Bearer`; null for anything else.
 */
function offeredSecret(header: string | undefined): string | null {
  const match = /^(\w+) +(\S+) *$/.exec(header ?? '');
  if (!match) return null;
  const scheme = match[1]!.toLowerCase();
  if (scheme === 'bearer') return match[2]!;
  if (scheme !== 'basic') return null;
  const decoded = Buffer.from(match[2]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : decoded.slice(colon + 1);
}

/**
 * Whether a request offers the admin token, compared in constant time: both sides are hashed
 * first, so neither the content nor the length of the token leaks through timing.
 */
function adminCheck(token: string): (header: string | undefined) => boolean {
  const expected = digest(token);
  return (header) => {
    const offered = offeredSecret(header);
    return offered !== null && timingSafeEqual(digest(offered), expected);
  };
}

/** A write from another site (a browser sends Basic credentials along): refused, so no page can act as the operator. */
function crossSite(request: FastifyRequest): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return false;
  if (request.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

function unauthorized(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = build('UNAUTHORIZED', 'the queue view needs the admin token (INSIGHTS_ADMIN_TOKEN)', request.id);
  return reply.code(401).header('www-authenticate', ADMIN_REALM).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/**
 * Mounts bull-board under {@link QUEUE_VIEW_PATH} for both queues, behind the admin token
 * (Basic or Bearer, checked before any route, static files included), read-only unless `write`.
 * Call before the server listens.
 */
export async function mountQueueView(server: FastifyInstance, options: QueueViewOptions): Promise<QueueView> {
  const readOnly = !options.write;
  const queues = QUEUE_NAMES.map((name) => new Queue(name, { connection: options.redis, prefix: options.prefix }));
  const adapter = new FastifyAdapter();
  adapter.setBasePath(QUEUE_VIEW_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: readOnly, allowRetries: !readOnly, description: `prefix ${options.prefix}` })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Insights queues' } },
  });
  const allowed = adminCheck(options.token);
  await server.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      reply.headers({ 'cache-control': 'no-store', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' });
      if (!allowed(request.headers.authorization)) return unauthorized(request, reply);
      if (crossSite(request)) return reply.code(403).type('text/plain; charset=utf-8').send('a change from another site is refused');
    });
    await scope.register(adapter.registerPlugin(), { prefix: QUEUE_VIEW_PATH });
  });
  options.log.info({ path: QUEUE_VIEW_PATH, read_only: readOnly, queues: QUEUE_NAMES }, 'queue view mounted');
  return {
    readOnly,
    async close() {
      await Promise.all(queues.map((queue) => queue.close()));
    },
  };
}
