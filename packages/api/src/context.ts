import type { AuditAction } from '@insights/store';

/** Who is calling: the token's id and its organisation. */
interface Principal {
  tokenId: string;
  organization: string;
}

/** What a route tells the audit hook: the action, and the job once known. */
interface AuditNote {
  action: AuditAction;
  jobId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by authentication on every /api/v1 route. */
    principal?: Principal;
    /** Set by a route that the audit log records. */
    auditNote?: AuditNote;
    /** The problem code the request was answered with, if any. */
    problemCode?: string;
  }
}
