/**
 * @insights/report — self-contained HTML reports (inline SVG and CSS, nothing fetched, A4 print
 * styles) of clustering and team-formation results: the Insights wheel, cluster and team sheets.
 * Pure functions from a result to an HTML string.
 */
export { renderClusteringReport, renderTeamsReport } from './report.js';
export { renderReport, renderStoredReport, type StoredResult, type LoadDataset, type StoredReportOptions } from './stored.js';
export type { ReportOptions, PeopleEnergies, TeamsResult } from './types.js';
export { newSalt } from './anonymise.js';
export { labelsFromColumn, type LabelSource } from './labels.js';
export { flaggedTeams } from './sections/teams.js';
export { REPORT_CONTENT_SECURITY_POLICY } from './document.js';
