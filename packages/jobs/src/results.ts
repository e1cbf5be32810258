import { z } from 'zod';
import { ENERGIES, METHODS, MODEL_VERSION, RESERVOIRS, WHEEL_TYPES } from '@insights/core';

/**
 * What a worker stores as a job's result, as schemas: the API's OpenAPI document derives the type of
 * `GET /api/v1/jobs/{id}/result` from them, and results.test.ts holds them to the core's
 * `ClusteringResult` and `TeamFormationResult` (both ways) and parses real results with them.
 */

/** Progress stages a job reports through BullMQ (`job.progress.stage`), in order. */
export const JOB_STAGES = ['validation', 'features', 'clustering', 'scoring', 'teams', 'saving'] as const;

/** A running job's progress: its stage, and the share of stages begun (0–100). */
export const JobProgress = z.object({ stage: z.enum(JOB_STAGES), percent: z.number().int().min(0).max(100).optional() }).strict();
export type JobProgress = z.infer<typeof JobProgress>;

const Energy = z.enum(ENERGIES);
const EnergyPercentages = z.object({ red: z.number(), blue: z.number(), green: z.number(), yellow: z.number() }).strict();

const ClusterSummary = z
  .object({
    id: z.number().int(),
    size: z.number().int(),
    centroid: EnergyPercentages.describe('mean energy percentages of the members'),
    dominant: Energy,
    secondary: Energy,
    wheel_type: z.enum(WHEEL_TYPES),
    wheel_radius: z.number().describe('0 for a balanced centroid, 1 for a single pure energy'),
  })
  .strict();

const QualityScores = z
  .object({
    silhouette: z.number().describe('mean silhouette, −1..1 (higher is better)'),
    silhouette_sample_size: z.number().int(),
    calinski_harabasz: z.number(),
    davies_bouldin: z.number(),
    inertia: z.number(),
    stability: z.number().nullable().describe('mean ARI of bootstrap re-clusterings, 0..1; null when stability_runs is 0'),
  })
  .strict();

const SkippedRow = z.object({ line: z.number().int(), employee_id: z.string().optional(), reasons: z.array(z.string()) }).strict();

const num = z.number();
const whole = z.number().int();

/** The reservoirs' parameters as a run resolved them (every field filled in). */
const ReservoirParamsSchema = z
  .object({
    esn: z.object({ units: whole, density: num, spectralRadius: num, leakRate: num, inputScaling: num, biasScaling: num, sequenceLength: whole }).strict(),
    snn: z.object({ neurons: whole, steps: whole, tau: num, threshold: num, maxInputRate: num, inputWeight: num, inhibition: num }).strict(),
    lsm: z
      .object({
        grid: z.array(whole).length(3),
        excitatoryShare: num,
        lambda: num,
        synapticScale: num,
        inputScaling: num,
        steps: whole,
        tau: num,
        threshold: num,
      })
      .strict(),
  })
  .strict();

/** What places a new person exactly as the run placed its members (`insights assign`). */
const ClusteringModelSchema = z
  .object({
    version: z.literal(MODEL_VERSION),
    method: z.enum(METHODS),
    seed: whole,
    k: whole,
    reservoirs: z.array(z.enum(RESERVOIRS)),
    reservoir_params: ReservoirParamsSchema,
    scaling: z.object({ centre: z.array(num), inverse_spread: num }).strict(),
    embedding: z
      .object({ combine: z.enum(['side-by-side', 'summed']), maps: z.array(z.object({ g: z.array(num), h: z.array(num), components: whole }).strict()) })
      .strict()
      .nullable(),
    dimensions: whole,
    centroids: z.array(z.array(num)),
    cluster_of: z.array(whole),
  })
  .strict()
  .describe('versioned: the fitted scaling, embedding and centroids, to place new people as the run placed its members');

/** How a run's clusters map to an earlier run's (`--previous`). */
const ClusterIdentitySchema = z
  .object({
    stable_ids: z.array(whole),
    matched: z.array(z.object({ cluster: whole, stable_id: whole, drift: num }).strict()),
    new: z.array(z.object({ cluster: whole, stable_id: whole }).strict()),
    vanished: z.array(whole),
    people: z.object({ common: whole, moved: whole, joined: whole, left: whole }).strict(),
    flows: z.array(z.object({ from: whole, to: whole, people: whole }).strict()),
  })
  .strict();

/** The fields of a clustering result (`insights cluster --format json`). */
const clusteringFields = {
  method: z.enum(METHODS),
  k: z.number().int(),
  seed: z.number().int(),
  n: z.number().int(),
  assignments: z.array(z.object({ employee_id: z.string(), cluster: z.number().int() }).strict()),
  clusters: z.array(ClusterSummary),
  quality: QualityScores,
  auto_k: z
    .object({ chosen: z.number().int(), curve: z.array(z.object({ k: z.number().int(), silhouette: z.number(), stability: z.number() }).strict()) })
    .strict()
    .nullable()
    .describe('the curve k was chosen from, when clusters was auto'),
  fallback: z.object({ used: z.boolean(), reason: z.string().nullable() }).strict(),
  feature_components: z.record(z.string(), z.number().int()),
  hybrid: z
    .object({
      weights: z.record(z.string(), z.number()).describe("each reservoir's weight in the combined space, summing to 1"),
      agreement: z.record(z.string(), z.number()).describe("mean ARI of each reservoir's own clustering with the others'"),
      consensus: z
        .array(z.number().nullable())
        .describe('per cluster: the share of its sampled people the reservoirs also put together; null when none were sampled'),
      sample_size: z.number().int(),
    })
    .strict()
    .optional()
    .describe('only for hybrid (not after a fallback): how the reservoirs contributed'),
  model: ClusteringModelSchema,
  identity: ClusterIdentitySchema.optional().describe("with --previous: the earlier run's cluster ids kept, new and vanished clusters, who moved"),
  skipped: z.array(SkippedRow),
  timings_ms: z
    .object({
      start: z.number().optional(),
      read: z.number().optional(),
      parse: z.number().optional(),
      sort: z.number(),
      features: z.number(),
      clustering: z.number(),
      quality: z.number(),
      teams: z.number().optional(),
      write: z.number().optional(),
      total: z.number(),
    })
    .strict(),
};

/** A stored clustering result. */
export const ClusteringResultSchema = z.object(clusteringFields).strict();

const TeamSchema = z
  .object({
    id: z.number().int().describe('1-based team number'),
    members: z.array(z.string()),
    size: z.number().int(),
    energy_mean: EnergyPercentages,
    balance: z.number(),
    cluster_mix: z.number(),
    clusters: z.array(z.number().int()),
    wheel_types: z.array(z.enum(WHEEL_TYPES)),
    spread: z.record(z.string(), z.number().int()).optional().describe('members per value of the spread_by column'),
  })
  .strict();

/** What team formation adds to the clustering it builds on. */
const teamFields = {
  teams: z.array(TeamSchema),
  unassigned: z.array(z.object({ employee_id: z.string(), reason: z.string() }).strict()),
  score: z
    .object({
      mean: z.number(),
      worst: z.number(),
      population_balance: z.number(),
      cluster_mix_mean: z.number(),
      cluster_mix_worst: z.number(),
    })
    .strict(),
  search: z.object({ moves_tried: z.number().int(), moves_applied: z.number().int(), stopped: z.enum(['converged', 'budget']) }).strict(),
};

/** A stored team-formation result: the clustering it built on and the teams. */
export const TeamFormationResultSchema = z.object({ ...clusteringFields, ...teamFields }).strict();
