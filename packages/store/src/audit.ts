import { table, type Queryable, type SchemaOption } from './sql.js';

/** What a request did, as the audit log records it. */
export type AuditAction = 'submit' | 'read' | 'list' | 'cancel' | 'delete' | 'token_refused';

/** One audit entry: who did what to which job, and how it ended. Never personal data. */
export interface AuditEntry {
  at: Date;
  tokenId: string | null;
  organization: string | null;
  action: AuditAction;
  jobId: string | null;
  /** `ok`, a problem code, or why a token was refused (`missing`, `unknown`, `revoked` …). */
  outcome: string;
  requestId: string | null;
}

interface AuditRecord {
  at: Date;
  token_id: string | null;
  organization: string | null;
  action: AuditAction;
  job_id: string | null;
  outcome: string;
  request_id: string | null;
}

/** Appends entries in one statement (the API writes them in batches). */
export async function appendAudit(db: Queryable, entries: readonly AuditEntry[], options?: SchemaOption): Promise<void> {
  if (entries.length === 0) return;
  const values: unknown[] = [];
  const rows = entries.map((entry, i) => {
    values.push(entry.at, entry.tokenId, entry.organization, entry.action, entry.jobId, entry.outcome, entry.requestId);
    const base = i * 7;
    return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7})`;
  });
  await db.query(
    `INSERT INTO ${table(options, 'audit_log')} (at, token_id, organization, action, job_id, outcome, request_id) VALUES ${rows.join(', ')}`,
    values,
  );
}

/** Which audit entries to read: all filters optional, newest last. */
export interface AuditQuery {
  organization?: string;
  jobId?: string;
  action?: AuditAction;
  /** At most this many (default 1000), the most recent ones. */
  limit?: number;
}

/** Audit entries matching a query, oldest first. */
export async function readAudit(db: Queryable, query: AuditQuery = {}, options?: SchemaOption): Promise<AuditEntry[]> {
  const { rows } = await db.query<AuditRecord>(
    `SELECT at, token_id, organization, action, job_id, outcome, request_id FROM (
       SELECT * FROM ${table(options, 'audit_log')}
        WHERE ($1::text IS NULL OR organization = $1) AND ($2::text IS NULL OR job_id = $2) AND ($3::text IS NULL OR action = $3)
        ORDER BY id DESC LIMIT $4
     ) recent ORDER BY id`,
    [query.organization ?? null, query.jobId ?? null, query.action ?? null, query.limit ?? 1000],
  );
  return rows.map((r) => ({
    at: r.at,
    tokenId: r.token_id,
    organization: r.organization,
    action: r.action,
    jobId: r.job_id,
    outcome: r.outcome,
    requestId: r.request_id,
  }));
}
