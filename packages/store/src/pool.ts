import pg from 'pg';

/** Options of `createPool`, with their defaults. */
export interface PoolOptions {
  /** Most connections the pool opens (default 10). */
  max?: number;
  /** `application_name` the server shows in `pg_stat_activity` (default `insights`). */
  applicationName?: string;
  /** How long to wait for a connection before failing, in ms (default 10000); 0 waits forever. */
  connectionTimeoutMillis?: number;
  /**
   * How long a query may wait for its answer, in ms (default 0: no limit). A connection whose
   * server has vanished behind a partition closes nothing: without a limit its query waits until
   * the link returns. An expired query fails as unavailable (retryable) and its connection is dropped.
   */
  queryTimeoutMillis?: number;
  /**
   * Called when an idle pooled connection fails (the server restarted, say). The pool drops the
   * connection and the next query opens a new one. Default: ignore, rather than let the unhandled
   * `error` event end the process.
   */
  onError?: (error: Error) => void;
}

/** A connection pool for `DATABASE_URL`. */
export function createPool(databaseUrl: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'insights',
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
    ...(options.queryTimeoutMillis ? { query_timeout: options.queryTimeoutMillis } : {}),
  });
  pool.on('error', options.onError ?? (() => undefined));
  return pool;
}

/** Socket errors of a server that is down, restarting or unreachable. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** SQLSTATEs of a server shutting down, starting up or out of connection slots. */
const SQL_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * pg reports a lost or timed-out connection with a plain Error and no code, so these exact
 * messages are the only way to recognise it.
 */
const PG_CONNECTION_MESSAGES = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Query read timeout',
]);

/**
 * Whether an error means the database could not be reached (refused, reset, timed out, shutting
 * down, starting up, out of connection slots, any `08xxx` connection exception) — a failure that
 * retrying later can fix, unlike a bad query or a constraint violation. Looks through `cause` and
 * `AggregateError`s (Node reports a refused dual-stack `localhost` as one).
 */
export function isUnavailable(error: unknown): boolean {
  return unavailable(error, 0);
}

function unavailable(error: unknown, depth: number): boolean {
  if (typeof error !== 'object' || error === null || depth > 8) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQL_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (error instanceof Error && PG_CONNECTION_MESSAGES.has(error.message)) return true;
  if (error instanceof AggregateError && error.errors.some((inner) => unavailable(inner, depth + 1))) return true;
  return unavailable((error as { cause?: unknown }).cause, depth + 1);
}
