import { z } from 'zod';
import { QUEUE_NAMES } from '@insights/jobs';
import { parseConfig, SharedEnv } from '@insights/runtime';

const integer = (min: number) => z.coerce.number().int().min(min);

/** A queue name as it may appear in a label: letters, digits, `_`, `.` and `-`, at most 100. */
const QUEUE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** A comma-separated list of queue names, trimmed, duplicates dropped, at least one. */
const QueueList = z
  .string()
  .transform((text) => [
    ...new Set(
      text
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== ''),
    ),
  ])
  .pipe(z.array(z.string().regex(QUEUE_NAME, 'queue names are letters, digits, _, . and -')).min(1, 'name at least one queue'));

/** The exporter's environment, every variable documented with its default. */
export const ExporterConfig = z.object({
  /** Redis the queues live in: `redis://host:port`, or several comma-separated URLs for a Redis Cluster. */
  REDIS_URL: SharedEnv.REDIS_URL,
  /** Whether REDIS_URL names Redis Cluster nodes (default false). */
  REDIS_CLUSTER: SharedEnv.REDIS_CLUSTER,
  /** Key prefix of the queues in Redis (default `insights`, as the workers use it). */
  QUEUE_PREFIX: SharedEnv.QUEUE_PREFIX,
  /** pino level: trace, debug, info, warn, error, fatal, silent (default info). */
  LOG_LEVEL: SharedEnv.LOG_LEVEL,
  /** Port of /metrics and /health; 0 picks a free one (default 9464). */
  INSIGHTS_EXPORTER_PORT: integer(0).max(65_535).default(9464),
  /** Address /metrics and /health listen on (default 0.0.0.0). */
  INSIGHTS_EXPORTER_HOST: z.string().min(1).default('0.0.0.0'),
  /** Organisations that get a label value of their own; later ones report as `other` (default 50). */
  INSIGHTS_EXPORTER_MAX_ORGS: integer(1).max(10_000).default(50),
  /** Queues to watch, comma-separated (default: every queue of the fleet, `clustering,team-formation`). */
  INSIGHTS_EXPORTER_QUEUES: QueueList.prefault(QUEUE_NAMES.join(',')),
  /** How long a scrape may wait for Redis before it answers with `insights_exporter_up 0`, in ms (default 1000). */
  INSIGHTS_EXPORTER_SCRAPE_TIMEOUT_MS: integer(10).max(60_000).default(1000),
});
/** The exporter's configuration once read: frozen. */
export type ExporterConfig = Readonly<z.output<typeof ExporterConfig>>;

/** Reads the exporter's configuration from the environment, reporting every problem at once. */
export function loadExporterConfig(env: NodeJS.ProcessEnv = process.env): ExporterConfig {
  const config = parseConfig(ExporterConfig, env);
  return Object.freeze({ ...config, INSIGHTS_EXPORTER_QUEUES: Object.freeze([...config.INSIGHTS_EXPORTER_QUEUES]) as string[] });
}
