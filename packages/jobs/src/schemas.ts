import { z } from 'zod';
import { ClusteringOptions, TeamOptions } from '@insights/core';
import { QUEUES } from './queues.js';

/** W3C trace context of the request that submitted a job, so the worker continues its trace. */
export const TraceContext = z.object({
  traceparent: z.string().max(128).optional(),
  tracestate: z.string().max(512).optional(),
});
export type TraceContext = z.infer<typeof TraceContext>;

/** Organisation names: short, no spaces at the ends; they become metric labels (capped) and audit keys. */
export const Organization = z.string().trim().min(1).max(100);

/** A data set stored in PostgreSQL: the hex SHA-256 of the organisation and its canonical content. */
export const DatasetId = z.string().regex(/^[0-9a-f]{64}$/, 'expected a 64-character hex SHA-256');

/** The core's clustering options, whose bounds and defaults a job's options take. */
const clustering = ClusteringOptions.shape;

/**
 * Clustering options a job carries, taken from the core's schema: method, clusters and seed with
 * their defaults filled in (so that the stored parameters say what ran), the rest left to the core
 * when absent; method parameters are checked by the core when the job runs.
 */
export const ClusteringJobOptions = z
  .object({
    method: clustering.method,
    clusters: clustering.clusters,
    seed: clustering.seed,
    stabilityRuns: clustering.stabilityRuns.unwrap().optional(),
    nInit: clustering.nInit.unwrap().optional(),
    /** Method parameters by name (`esn`, `snn`, `lsm`, `hybridWeights`), as `--set` gives them. */
    parameters: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type ClusteringJobOptions = z.infer<typeof ClusteringJobOptions>;

/** Payload of a clustering job. */
export const ClusteringJob = z
  .object({
    organization: Organization,
    datasetId: DatasetId,
    options: ClusteringJobOptions,
    trace: TraceContext.optional(),
  })
  .strict();
export type ClusteringJob = z.infer<typeof ClusteringJob>;

/** The core's team options, whose bounds and defaults a job's team options take. */
const teams = TeamOptions.shape;

/** How teams are sized and constrained: the core's team options, the seed's default filled in. */
export const TeamJobOptions = z
  .object({
    teams: teams.teams,
    teamSize: teams.teamSize,
    seed: teams.seed,
    keepApart: teams.keepApart.unwrap().optional(),
    keepTogether: teams.keepTogether.unwrap().optional(),
    spreadBy: teams.spreadBy,
    movesPerPerson: teams.movesPerPerson.unwrap().optional(),
  })
  .strict()
  .refine((o) => (o.teams === undefined) !== (o.teamSize === undefined), { message: 'give either teams or teamSize (exactly one)' });
export type TeamJobOptions = z.infer<typeof TeamJobOptions>;

/**
 * Payload of a team-formation job: it reads the clustering of a finished clustering job, or of its
 * own child job when submitted as a flow (clustering first, then teams).
 */
export const TeamFormationJob = z
  .object({
    organization: Organization,
    datasetId: DatasetId,
    teams: TeamJobOptions,
    /** A finished clustering job of the same organisation and data set; absent when the clustering is this job's child. */
    clusteringJobId: z.string().min(1).optional(),
    trace: TraceContext.optional(),
  })
  .strict();
export type TeamFormationJob = z.infer<typeof TeamFormationJob>;

/**
 * The small summary a worker returns as a job's BullMQ return value. The exporter turns it into
 * metrics, so they survive the job's removal; the full result lives in PostgreSQL.
 */
export const JobSummary = z.object({
  kind: z.enum([QUEUES.clustering, QUEUES.teamFormation]),
  organization: Organization,
  method: z.string(),
  k: z.number().int(),
  n: z.number().int(),
  teams: z.number().int().optional(),
  strategy: z.string().optional(),
  durations_ms: z.object({ queued: z.number(), run: z.number(), save: z.number() }),
  quality: z.record(z.string(), z.number().nullable()),
  fallback: z.boolean(),
});
export type JobSummary = z.infer<typeof JobSummary>;
