import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '@insights/store';
import type { AuditTrail } from './audit.js';
import { ApiError } from './errors.js';
import type { RefusalLimiter } from './refusal-limiter.js';
import './context.js';

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/** Why a token was refused, as the audit log records it. */
type Refusal = 'missing' | 'malformed' | 'unknown' | 'revoked';

/**
 * The onRequest hook of every /api/v1 route: `Authorization: Bearer <token>`, looked up by hash
 * on each request (no cache, so a revocation takes effect at once). A refusal is audited and
 * answered 401 with a `WWW-Authenticate` challenge, before any body is read.
 *
 * Refusals are limited per client address (`limiter`): past the limit a refusal is answered 429
 * with `Retry-After` and counted rather than audited, and each address's count is audited as one
 * `limited:N` entry when its window ends. A valid token is looked up and let through as ever, so a
 * flood from a shared address does not lock its honest callers out.
 */
export function authenticate(store: Store, audit: AuditTrail, limiter: RefusalLimiter) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    for (const ended of limiter.takeEnded()) {
      // The address is not recorded: it may identify a person.
      audit.record({ tokenId: null, organization: null, action: 'token_refused', jobId: null, outcome: `limited:${ended.count}`, requestId: null });
    }
    const header = request.headers.authorization;
    const match = header === undefined ? null : BEARER.exec(header);
    let refusal: Refusal | undefined;
    let tokenId: string | null = null;
    let organization: string | null = null;
    if (header === undefined) refusal = 'missing';
    else if (!match) refusal = 'malformed';
    else {
      const token = await store.findToken(match[1]!);
      if (!token) refusal = 'unknown';
      else {
        tokenId = token.id;
        organization = token.organization;
        if (token.revokedAt) refusal = 'revoked';
      }
    }
    if (refusal === undefined) {
      request.principal = { tokenId: tokenId!, organization: organization! };
      return;
    }
    if (!limiter.refuse(request.ip)) {
      const seconds = limiter.retryAfter(request.ip);
      reply.header('retry-after', String(seconds));
      throw new ApiError('RATE_LIMITED', `too many refused authentications from this address; retry in ${seconds} s`);
    }
    audit.record({ tokenId, organization, action: 'token_refused', jobId: null, outcome: refusal, requestId: request.id });
    reply.header('www-authenticate', refusal === 'missing' ? 'Bearer realm="insights"' : 'Bearer realm="insights", error="invalid_token"');
    throw new ApiError('UNAUTHORIZED', refusal === 'missing' ? 'send Authorization: Bearer <token>' : 'the token is not valid (unknown, revoked or malformed)');
  };
}
