import { z } from 'zod';
import { CodedError } from '@insights/errors';
import { DEFAULT_QUEUE_PREFIX } from '@insights/jobs';

/** Bad configuration, the caller's fault: the process must not start (exit status 2). Code documented in docs/errors.md. */
export class ConfigError extends CodedError<'INVALID_CONFIG'> {
  constructor(readonly problems: string[]) {
    super('INVALID_CONFIG', 'caller', `invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Checks a process's environment against its schema, reporting every problem at once as
 * `VARIABLE: reason`, and returns the result frozen.
 */
export function parseConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): Readonly<z.output<S>> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  return Object.freeze(parsed.data);
}

/**
 * The variables every service reads the same way, checked the same way: each service names them
 * in its own schema (with its own comment on what it uses them for).
 */
export const SharedEnv = {
  /** `redis://host:port`; with REDIS_CLUSTER, comma-separated seed nodes. */
  REDIS_URL: z.string().min(1).default('redis://127.0.0.1:6379'),
  REDIS_CLUSTER: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  DATABASE_URL: z.string().min(1).default('postgres://postgres@127.0.0.1:5432/postgres'),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .default('public'),
  QUEUE_PREFIX: z.string().min(1).default(DEFAULT_QUEUE_PREFIX),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
};
