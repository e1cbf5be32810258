import { z } from 'zod';
import { parseDuration } from '@insights/store';
import { parseConfig, SharedEnv } from '@insights/runtime';

/** A duration such as `30s`, `5m`, `2h` or `1d`, read as milliseconds. */
const Duration = z.string().transform((text, ctx) => {
  try {
    return parseDuration(text.trim());
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** A duration, or `0` (also `0s`, `0m`, …) for none: read as 0. */
const DurationOrZero = z.string().transform((text, ctx) => {
  if (/^0[smhd]?$/.test(text.trim())) return 0;
  try {
    return parseDuration(text.trim());
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `${(error as Error).message}, or 0 for no limit` });
    return z.NEVER;
  }
});

/** A comma-separated list of alert names, trimmed, duplicates dropped; empty means none. */
const AlertNames = z
  .string()
  .transform((text) => [
    ...new Set(
      text
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== ''),
    ),
  ])
  .pipe(z.array(z.string().regex(/^[A-Za-z_:][A-Za-z0-9_:]*$/, 'alert names are letters, digits, _ and :')));

/** The responder's environment, every variable documented with its default. */
export const ResponderConfig = z.object({
  /** Port of /alerts, /metrics and /health; 0 picks a free one (default 9466). */
  RESPONDER_PORT: z.coerce.number().int().min(0).max(65_535).default(9466),
  /** Address the server listens on (default 0.0.0.0). */
  RESPONDER_HOST: z.string().min(1).default('0.0.0.0'),
  /** Shared secret Alertmanager sends as `Authorization: Bearer <secret>` (required, at least 16 characters). */
  RESPONDER_SECRET: z.string({ error: 'required: the shared secret Alertmanager sends as a bearer token' }).min(16, 'at least 16 characters'),
  /** Redis the queues live in (default redis://127.0.0.1:6379). */
  REDIS_URL: SharedEnv.REDIS_URL,
  /** Whether REDIS_URL names Redis Cluster nodes, comma-separated (default false). */
  REDIS_CLUSTER: SharedEnv.REDIS_CLUSTER,
  /** PostgreSQL where incidents, actions and snapshots are recorded. */
  DATABASE_URL: SharedEnv.DATABASE_URL,
  /** Schema of the tables (default public). */
  DATABASE_SCHEMA: SharedEnv.DATABASE_SCHEMA,
  /** Key prefix of the queues in Redis, as the workers use it (default `insights`). */
  QUEUE_PREFIX: SharedEnv.QUEUE_PREFIX,
  /** pino level: trace, debug, info, warn, error, fatal, silent (default info). */
  LOG_LEVEL: SharedEnv.LOG_LEVEL,
  /** At most one diagnostic snapshot per incident this often (default 5m). */
  RESPONDER_SNAPSHOT_INTERVAL: Duration.default(5 * 60_000),
  /** Alerts on which queue intake is paused until they resolve, comma-separated (default none). */
  RESPONDER_PAUSE_ON: AlertNames.prefault(''),
  /** Slack-compatible incoming webhook for summaries (default none: nothing is posted). */
  RESPONDER_SLACK_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'an http or https URL' }).optional(),
  /** At most one firing summary per incident this often (default 15m); a resolution is always posted. */
  RESPONDER_NOTIFY_INTERVAL: Duration.default(15 * 60_000),
  /** An incident still firing this long after the responder acted needs a person (default 15m). */
  RESPONDER_ESCALATE_AFTER: Duration.default(15 * 60_000),
  /** How often incidents due for escalation (and pauses due for release) are looked for (default 30s). */
  RESPONDER_CHECK_INTERVAL: Duration.default(30_000),
  /**
   * An incident reported firing but not reported at all for longer than this is stale: no longer
   * taken as firing, its pauses released (default 4h30m: Alertmanager re-sends a firing alert every
   * repeat_interval, 4h by default, and sends nothing when it resolves while silenced or inhibited).
   */
  RESPONDER_STALE_AFTER: Duration.default(4 * 3_600_000 + 30 * 60_000),
  /** A queue the responder paused is resumed after this long even if the alert still fires, and the incident escalated; 0: no limit (default 2h). */
  RESPONDER_MAX_PAUSE: DurationOrZero.default(2 * 3_600_000),
  /** Log and record what would be done (outcome `dry_run`), do nothing else (default false). */
  RESPONDER_DRY_RUN: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
export type ResponderConfig = Readonly<z.output<typeof ResponderConfig>>;

/** Reads the responder's configuration from the environment, reporting every problem at once. */
export function loadResponderConfig(env: NodeJS.ProcessEnv = process.env): ResponderConfig {
  const config = parseConfig(ResponderConfig, env);
  return Object.freeze({ ...config, RESPONDER_PAUSE_ON: Object.freeze([...config.RESPONDER_PAUSE_ON]) as string[] });
}
