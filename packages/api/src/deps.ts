import type { Cluster, Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { InsightsClient } from '@insights/producer';
import type { Store } from '@insights/store';
import type { AuditTrail } from './audit.js';
import type { ApiConfig } from './config.js';
import type { ApiMetrics } from './metrics.js';

/** What the API is built from; the caller owns the connections and closes them. */
export interface ApiDeps {
  config: ApiConfig;
  /** Root logger; requests log through children of it. */
  log: Logger;
  db: pg.Pool;
  /** Redis of the queues, the rate limit and the idempotency keys (not blocking: `maxRetriesPerRequest` may be finite). */
  redis: Redis | Cluster;
  audit: AuditTrail;
  metrics: ApiMetrics;
  /** File system the disk_space check measures (default: the working directory). */
  diskPath?: string;
  /** True once the process is shutting down: /api/health/ready answers 503. */
  draining?: () => boolean;
}

/** What a route handler needs: the deps plus the client and the store built on them. */
export interface RouteDeps extends ApiDeps {
  client: InsightsClient;
  store: Store;
}
