import type pg from 'pg';
import { findIndexedJob, forgetJob, indexJob, listIndexedJobs, unindexJob, type ForgetResult, type IndexedJob, type NewIndexedJob } from './api-jobs.js';
import { appendAudit, readAudit, type AuditEntry, type AuditQuery } from './audit.js';
import { deleteDataset, getDataset, putDataset, type DatasetContent, type PutDatasetResult } from './datasets.js';
import { migrate, type MigrateOptions, type MigrateResult } from './migrate.js';
import { pruneOlderThan, type PruneOptions, type PruneResult } from './prune.js';
import { deleteResult, getResult, saveResult, type JobResult, type NewJobResult } from './results.js';
import { createToken, findToken, listTokens, revokeToken, type ApiToken, type CreatedToken } from './tokens.js';

/**
 * The store's tables in one PostgreSQL schema, reached through one pool: data sets, results, the
 * API's tokens, job index and audit log. Made once per process from its configuration, so that no
 * call site names the schema.
 */
export class Store {
  private readonly at: { schema: string };

  /**
   * @param db the pool queries go through; the caller closes it
   * @param schema PostgreSQL schema holding the tables (default `public`); tests use one schema each
   */
  constructor(
    readonly db: pg.Pool,
    readonly schema = 'public',
  ) {
    this.at = { schema };
  }

  /** Applies the migrations this schema lacks (needs a pool: it holds a client for its advisory lock). */
  migrate(options: Omit<MigrateOptions, 'schema'> = {}): Promise<MigrateResult> {
    return migrate(this.db, { ...options, ...this.at });
  }

  /** Stores a data set, content-addressed: a second call with the same content stores nothing. */
  putDataset(organization: string, content: DatasetContent): Promise<PutDatasetResult> {
    return putDataset(this.db, organization, content, this.at);
  }

  /** A data set of an organisation, or null. */
  getDataset(id: string, organization: string): Promise<DatasetContent | null> {
    return getDataset(this.db, id, organization, this.at);
  }

  /** Deletes an organisation's data set and, by cascade, the results computed from it. */
  deleteDataset(id: string, organization: string): ReturnType<typeof deleteDataset> {
    return deleteDataset(this.db, id, organization, this.at);
  }

  /** Saves a job's result (one row per job: a second save of the same job changes nothing). */
  saveResult(row: NewJobResult): ReturnType<typeof saveResult> {
    return saveResult(this.db, row, this.at);
  }

  /** A job's stored result (of that organisation, when given), or null. */
  getResult(jobId: string, organization?: string): Promise<JobResult | null> {
    return getResult(this.db, jobId, organization, this.at);
  }

  /** Deletes a job's result. */
  deleteResult(jobId: string, organization?: string): ReturnType<typeof deleteResult> {
    return deleteResult(this.db, jobId, organization, this.at);
  }

  /** Issues an API token for an organisation; the secret is in the answer only. */
  createToken(organization: string, name = ''): Promise<CreatedToken> {
    return createToken(this.db, organization, name, this.at);
  }

  /** The token a bearer secret names, revoked or not (so that a refused one can be audited), or null. */
  findToken(token: string): Promise<ApiToken | null> {
    return findToken(this.db, token, this.at);
  }

  /** Revokes a token; `revoked: false` when there is no such token or it was already revoked. */
  revokeToken(id: string): ReturnType<typeof revokeToken> {
    return revokeToken(this.db, id, this.at);
  }

  /** The tokens of an organisation. */
  listTokens(organization: string): Promise<ApiToken[]> {
    return listTokens(this.db, organization, this.at);
  }

  /** Appends entries to the audit log. */
  appendAudit(entries: readonly AuditEntry[]): Promise<void> {
    return appendAudit(this.db, entries, this.at);
  }

  /** Audit entries matching a query, oldest first. */
  readAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    return readAudit(this.db, query, this.at);
  }

  /** Records a job in its organisation's index; a repetition answers `inserted: false` with the first fingerprint. */
  indexJob(job: NewIndexedJob): Promise<{ inserted: boolean; requestFingerprint: string | null }> {
    return indexJob(this.db, job, this.at);
  }

  /** An indexed job of an organisation, or null. */
  findIndexedJob(jobId: string, organization: string): Promise<IndexedJob | null> {
    return findIndexedJob(this.db, jobId, organization, this.at);
  }

  /** A page of an organisation's indexed jobs, newest first. */
  listIndexedJobs(organization: string, page: { limit: number; beforeSeq?: string | null }): Promise<IndexedJob[]> {
    return listIndexedJobs(this.db, organization, page, this.at);
  }

  /** Takes an index row back (a submission whose enqueue failed). */
  unindexJob(jobId: string, organization: string): Promise<void> {
    return unindexJob(this.db, jobId, organization, this.at);
  }

  /** Forgets a job: its results and its flow child's, its index row, and its data set unless something else refers to it. */
  forgetJob(jobId: string, organization: string): Promise<ForgetResult> {
    return forgetJob(this.db, jobId, organization, this.at);
  }

  /** Deletes what is older than the retention. */
  pruneOlderThan(olderThanMs: number, options: Omit<PruneOptions, 'schema'> = {}): Promise<PruneResult> {
    return pruneOlderThan(this.db, olderThanMs, { ...options, ...this.at });
  }
}
