/** Team formation: balanced, cluster-mixed teams under keepApart, keepTogether and spreadBy. */
export { formTeams, type Team, type TeamFormationResult } from './form-teams.js';
export { TEAM_LIMITS, TEAM_STRATEGIES, TEAM_STRATEGY, type TeamStrategy } from './limits.js';
export { TeamOptions, resolveTeamOptions, type TeamOptionsInput, type ResolvedTeamOptions } from './options.js';
export { balanceOf, clusterMix, populationBalance } from './scores.js';
export { planSizes, type SizePlan } from './team-sizes.js';
