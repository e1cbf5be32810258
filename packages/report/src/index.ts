/**
 * @insights/report — self-contained HTML reports (inline SVG and CSS, nothing fetched, A4 print
 * styles) of clustering and team-formation results: the Insights wheel, cluster and team sheets.
 * Pure functions from a result to an HTML string.
 */
export { renderClusteringReport, renderTeamsReport } from './report.js';
export { renderReport, renderStoredReport, peopleOfStoredResult, isTeamsResult, type ReportView, type StoredResult, type LoadDataset, type StoredReportOptions } from './stored.js';
export type { ReportOptions, PeopleEnergies, TeamsResult } from './types.js';
export { labelsFromColumn, type LabelSource } from './labels.js';
export { pseudonymiser, newSalt, MIN_PSEUDONYM_DIGITS } from './anonymise.js';
export { readSilhouette, readStability, readDaviesBouldin, readTeamBalance, readClusterMix, type Reading } from './reading.js';
export { flaggedTeams, MIN_FLAG_GAP } from './sections/teams.js';
export { escapeHtml } from './html.js';
export { REPORT_CONTENT_SECURITY_POLICY } from './document.js';
