/**
 * @insights/core — pure algorithms behind Observer Coordinator Insights: reading profiles,
 * reservoir feature extraction, k-means, quality scores and interpretation. No I/O, no
 * environment, no clock unless one is passed in.
 */
export {
  CoreErrorCode,
  CORE_FAULTS,
  InsightsError,
  InvalidInputError,
  InvalidOptionsError,
  TooManyRowsError,
  formatProblem,
  type InputProblem,
} from './errors.js';
export {
  parseProfiles,
  parseProfilesCsv,
  parseProfilesJson,
  parseProfilesJsonText,
  CsvProfileReader,
  unstorableCharacter,
  ENERGIES,
  ENERGY_COLUMNS,
  ID_COLUMN,
  type Energy,
  type CsvReaderOptions,
  type ParseOptions,
  type ProfileSet,
  type SkippedRow,
} from './profiles/index.js';
export { METHODS, DEFAULT_METHOD, CLUSTERING_LIMITS, AUTO_K, boundedInteger, type Method, type IntegerBound } from './pipeline/limits.js';
export { ClusteringOptions, resolveOptions, type ClusteringOptionsInput, type ResolvedOptions } from './pipeline/options.js';
export { clusterProfiles, clusterProfilesWith, reservoirsOf, type FeatureExecutor, type RunHooks, type Stage } from './pipeline/cluster-profiles.js';
export type { ClusteringResult, QualityScores, AutoKPoint, HybridContribution } from './pipeline/result.js';
export { RESERVOIRS, RESERVOIR_DEFAULTS, extractFeatures, featureWidth, type Reservoir, type ReservoirParams } from './reservoirs/registry.js';
export type { FeatureInput, InputScaling } from './reservoirs/input.js';
export type { EsnParams } from './reservoirs/esn.js';
export type { SnnParams } from './reservoirs/snn.js';
export type { LsmParams } from './reservoirs/lsm.js';
export { MODEL_VERSION, type ClusteringModel } from './model/model.js';
export { matchClusters, type ClusterIdentity } from './model/identity.js';
export { assign, type Placement, type AssignOptions } from './model/assign.js';
export { kmeans, type KMeansOptions, type KMeansResult } from './kmeans/kmeans.js';
export type { Matrix } from './kmeans/matrix.js';
export { adjustedRandIndex } from './quality/adjusted-rand-index.js';
export { silhouette, type SilhouetteScore } from './quality/silhouette.js';
export { calinskiHarabasz, daviesBouldin } from './quality/dispersion.js';
export { bootstrapStability } from './quality/stability.js';
export { wheelPosition, WHEEL_TYPES, type WheelPosition, type WheelType } from './interpret/wheel.js';
export type { ClusterSummary } from './interpret/clusters.js';
export {
  formTeams,
  TEAM_LIMITS,
  TEAM_STRATEGIES,
  TEAM_STRATEGY,
  TeamOptions,
  resolveTeamOptions,
  balanceOf,
  clusterMix,
  populationBalance,
  planSizes,
  type Team,
  type TeamFormationResult,
  type TeamOptionsInput,
  type ResolvedTeamOptions,
  type TeamStrategy,
  type SizePlan,
} from './teams/index.js';
export { generateSynthetic, SYNTHETIC_SCENARIOS, type SyntheticPopulation, type SyntheticScenario } from './synthetic.js';
export { randomStream, hashSeed, type RandomStream } from './random/seeded.js';
