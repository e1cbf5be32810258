import { z } from 'zod';
import { boundedInteger, CLUSTERING_LIMITS, DEFAULT_METHOD, METHODS, TEAM_LIMITS, type IntegerBound } from '@insights/core';
import { JobProgress, JobSummary, QUEUES } from '@insights/jobs';

/**
 * Request and response schemas of the API. The same schemas validate requests and generate the
 * OpenAPI document (openapi.ts). A query string carries every value as text: integers and flags
 * take their exact text form there (`12`, `true`), and their JSON type in a JSON body; nothing is
 * coerced loosely (`"seed": true`, `n_init=0x10`, `seed=`, `clusters=3.0` are refused).
 */

/**
 * What the OpenAPI document says of a schema whose validation accepts two forms (JSON and query
 * text): the one type a client sends, instead of the union the validator spells out.
 */
export const DOCUMENTED = new WeakMap<object, Record<string, unknown>>();

function documented<T extends z.ZodType>(schema: T, json: Record<string, unknown>): T {
  DOCUMENTED.set(schema, json);
  return schema;
}

/** A whole number as query text: digits, a minus sign, no leading zeros, no exponent or fraction. */
const IntegerText = z
  .string()
  .regex(/^-?(0|[1-9]\d{0,15})$/, 'expected a whole number')
  .transform(Number);

/** An integer within one of the core's bounds: a JSON integer, or its exact text in a query string. */
const integer = ({ min, max }: IntegerBound) => {
  const bounded = max === undefined ? z.number().int().min(min) : z.number().int().min(min).max(max);
  const bounds = max === undefined ? { minimum: min } : { minimum: min, maximum: max };
  return documented(z.union([z.number(), IntegerText]).pipe(bounded), { type: 'integer', ...bounds });
};

/** `true`/`false`/`1`/`0` in a query string, or a JSON boolean. */
export const Flag = documented(
  z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1'),
  { type: 'boolean' },
);

/** Each end of a team size, within the core's bound. */
const SizeEnd = boundedInteger(TEAM_LIMITS.teamSize);

/** `MIN-MAX` (`4-6`): the one form a query string takes. */
const TeamSizeText = z
  .string()
  .regex(/^\d{1,6}-\d{1,6}$/, 'expected MIN-MAX, such as 4-6')
  .transform((v) => v.split('-').map(Number))
  .pipe(z.tuple([SizeEnd, SizeEnd]));

/** `MIN-MAX` (`4-6`), or `[4, 6]` in JSON; both forms are held to the same bound. */
const TeamSize = z.union([TeamSizeText, z.tuple([SizeEnd, SizeEnd])]);

const clusteringFields = {
  method: z.enum(METHODS).optional().describe(`clustering method (default ${DEFAULT_METHOD})`),
  clusters: z
    .union([z.literal('auto'), integer(CLUSTERING_LIMITS.clusters)])
    .optional()
    .describe(
      `number of clusters ${CLUSTERING_LIMITS.clusters.min}–${CLUSTERING_LIMITS.clusters.max}, or auto (default ${CLUSTERING_LIMITS.clusters.default})`,
    ),
  seed: integer(CLUSTERING_LIMITS.seed).optional().describe(`seed of every random choice (default ${CLUSTERING_LIMITS.seed.default})`),
  stability_runs: integer(CLUSTERING_LIMITS.stabilityRuns)
    .optional()
    .describe(`bootstrap re-clusterings behind the stability score; 0 skips it (default ${CLUSTERING_LIMITS.stabilityRuns.default})`),
  n_init: integer(CLUSTERING_LIMITS.nInit).optional().describe(`k-means++ restarts (default ${CLUSTERING_LIMITS.nInit.default})`),
  skip_invalid: Flag.optional().describe('leave out invalid rows (listed in the result) instead of refusing the data (default false)'),
};

const teamFields = {
  teams: integer(TEAM_LIMITS.teams).optional().describe('number of teams (give teams or team_size)'),
  team_size: TeamSizeText.optional().describe('smallest and largest team size, MIN-MAX such as 4-6 (give teams or team_size)'),
  spread_by: z.string().min(1).max(100).optional().describe('a metadata column whose values are spread evenly across teams'),
  moves_per_person: integer(TEAM_LIMITS.movesPerPerson).optional().describe(`local-search moves per person (default ${TEAM_LIMITS.movesPerPerson.default})`),
  clustering_job_id: z.string().min(1).max(200).optional().describe('form teams on the result of this finished clustering job instead of clustering first'),
};

const Employees = z
  .array(z.record(z.string(), z.unknown()))
  .describe('people: employee_id, red_energy, blue_energy, green_energy, yellow_energy, and any other keys (kept as metadata)');

const Parameters = z.record(z.string(), z.unknown()).optional().describe('method parameters by reservoir: esn, snn, lsm, hybridWeights (see docs/methods.md)');

/** Query parameters of `POST /api/v1/jobs/clustering` (with a CSV body; also allowed with JSON). */
export const ClusteringQuery = z.object(clusteringFields).strict();
export type ClusteringQuery = z.output<typeof ClusteringQuery>;

/** Query parameters of `POST /api/v1/jobs/team-formation`. */
export const TeamFormationQuery = z.object({ ...clusteringFields, ...teamFields }).strict();
/** A JSON body also takes a team size as `[MIN, MAX]`. */
const bodyTeamFields = {
  ...teamFields,
  team_size: TeamSize.optional().describe('smallest and largest team size: [MIN, MAX], or MIN-MAX (give teams or team_size)'),
};
export type TeamFormationQuery = z.output<typeof TeamFormationQuery>;

/** JSON body of `POST /api/v1/jobs/clustering`. */
export const ClusteringBody = z.object({ employees: Employees, ...clusteringFields, parameters: Parameters }).strict();
export type ClusteringBody = z.output<typeof ClusteringBody>;

/** JSON body of `POST /api/v1/jobs/team-formation`. */
export const TeamFormationBody = z
  .object({
    employees: Employees,
    ...clusteringFields,
    ...bodyTeamFields,
    parameters: Parameters,
    keep_apart: z
      .array(z.tuple([z.string().min(1), z.string().min(1)]))
      .optional()
      .describe('pairs of employee_ids that must not share a team'),
    keep_together: z
      .array(z.array(z.string().min(1)).min(2))
      .optional()
      .describe('groups of employee_ids that must share a team'),
  })
  .strict();
export type TeamFormationBody = z.output<typeof TeamFormationBody>;

/** The two kinds of job. */
const JobKind = z.enum([QUEUES.clustering, QUEUES.teamFormation]);

/** Links of a job. */
const JobLinks = z.object({ self: z.string(), result: z.string() });

/** The answer to a submission (202). */
export const Accepted = z.object({
  id: z.string(),
  kind: JobKind,
  state: z.string().describe('BullMQ state: waiting, waiting-children (a team formation whose clustering runs first), active …'),
  people: z.number().int(),
  skipped: z.number().int().describe('rows left out because skip_invalid was asked for'),
  clustering_job_id: z.string().optional(),
  links: JobLinks,
});
export type Accepted = z.infer<typeof Accepted>;

/** Job states, as BullMQ reports them, plus `expired` (the queue no longer holds the job). */
const JobState = z.enum(['waiting', 'waiting-children', 'prioritized', 'delayed', 'active', 'completed', 'failed', 'expired']);

/** One job, as `GET /api/v1/jobs/:id` answers. */
export const JobView = z.object({
  id: z.string(),
  kind: JobKind,
  state: z.string(),
  progress: JobProgress.nullable().describe('the stage a running job has reached; null before it starts'),
  attempts: z.number().int(),
  failed_reason: z.string().nullable(),
  failure_code: z.string().nullable().describe('the stable code at the start of failed_reason (INVALID_INPUT, OUT_OF_MEMORY …)'),
  summary: JobSummary.nullable().describe('method, k, n, durations and quality once completed'),
  people: z.number().int(),
  clustering_job_id: z.string().nullable(),
  created_at: z.string(),
  links: JobLinks,
});
export type JobView = z.infer<typeof JobView>;

/** Query of `GET /api/v1/jobs`. */
export const ListQuery = z
  .object({
    state: JobState.optional().describe('only jobs in this state'),
    limit: integer({ min: 1, max: 100 }).default(20).describe('most jobs per page (default 20)'),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, 'expected the next_cursor of a previous page')
      .optional(),
  })
  .strict();
export type ListQuery = z.output<typeof ListQuery>;

/** A page of the organisation's jobs, newest first. */
export const JobList = z.object({
  items: z.array(z.object({ id: z.string(), kind: JobKind, state: z.string(), people: z.number().int(), created_at: z.string(), links: JobLinks })),
  next_cursor: z.string().nullable().describe('pass as cursor for the next page; null on the last page (a page may hold fewer than limit items)'),
});
export type JobList = z.infer<typeof JobList>;

/** The answer to `DELETE /api/v1/jobs/:id`. */
export const Deleted = z.object({
  id: z.string(),
  outcome: z.enum(['cancelled', 'deleted']).describe('cancelled: the job had not started; deleted: its result and data are gone'),
  dataset_deleted: z.boolean(),
});
export type Deleted = z.infer<typeof Deleted>;

/** One health check. */
export const Check = z.object({
  status: z.enum(['healthy', 'degraded', 'unhealthy']),
  message: z.string(),
  duration_ms: z.number(),
  details: z.record(z.string(), z.unknown()),
});
export type Check = z.infer<typeof Check>;

/** The health document. */
export const Health = z.object({
  status: z.enum(['healthy', 'degraded', 'unhealthy']),
  checks: z.record(z.string(), Check),
  draining: z.literal(true).optional().describe('readiness only: the API is shutting down'),
});
export type Health = z.infer<typeof Health>;
