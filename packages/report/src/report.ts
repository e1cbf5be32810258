import type { ClusteringResult } from '@insights/core';
import { pseudonymiser } from './anonymise.js';
import { htmlDocument } from './document.js';
import { placePeople } from './people.js';
import { clustersSection } from './sections/clusters.js';
import type { SectionContext } from './sections/context.js';
import { headerSection } from './sections/header.js';
import { qualitySection } from './sections/quality.js';
import { skippedSection } from './sections/skipped.js';
import { teamsSection } from './sections/teams.js';
import { wheelSection } from './sections/wheel.js';
import { filterBox, navigation } from './sections/navigation.js';
import { clusterPalette, iconDefs } from './svg/markers.js';
import type { ReportOptions, TeamsResult } from './types.js';

/**
 * A self-contained HTML report of a clustering result (the JSON `insights cluster` prints and the
 * worker stores): the Insights wheel, one card per cluster, the quality scores read in words, the
 * auto-k curve when k was chosen automatically, and any rows left out. Pure: the same result and
 * options give the same text.
 */
export function renderClusteringReport(result: ClusteringResult, options: ReportOptions = {}): string {
  const context = contextOf(result, options);
  const title = options.title ?? 'Clusters';
  return htmlDocument(
    title,
    false,
    iconDefs(
      result.clusters.map((c) => c.id),
      context.style,
    ),
    headerSection(result, title, context, options.generatedAt),
    navigation(result, false),
    wheelSection(placePeople(result.assignments, options.people), result.clusters, context),
    clustersSection(result, context),
    qualitySection(result),
    skippedSection(result, context),
  );
}

/**
 * A self-contained HTML report of a team-formation result (the JSON `insights teams` prints and
 * the worker stores): one card per team with its members, energy balance and cluster mix, the
 * least balanced teams flagged, then everything the clustering report shows.
 */
export function renderTeamsReport(result: TeamsResult, options: ReportOptions = {}): string {
  const context = contextOf(result, options);
  const title = options.title ?? 'Teams';
  return htmlDocument(
    title,
    true,
    iconDefs(
      result.clusters.map((c) => c.id),
      context.style,
    ),
    headerSection(result, title, context, options.generatedAt),
    navigation(result, true),
    filterBox(),
    teamsSection(result, context),
    wheelSection(placePeople(result.assignments, options.people), result.clusters, context),
    clustersSection(result, context),
    qualitySection(result),
    skippedSection(result, context),
  );
}

/**
 * How ids are shown — as sent, with the caller's display label, or as pseudonyms of every id the
 * result holds (labels are then left out: they would name the person) — and each cluster's style.
 */
function contextOf(result: ClusteringResult | TeamsResult, options: ReportOptions): SectionContext {
  const style = clusterPalette(result.clusters);
  if (options.anonymise === undefined) {
    const labels = options.labels?.values;
    if (labels === undefined) return { name: (id) => id, anonymised: false, style };
    return { name: (id) => labelled(id, labels.get(id)), anonymised: false, style };
  }
  const ids = new Set<string>();
  for (const a of result.assignments) ids.add(a.employee_id);
  for (const s of result.skipped) if (s.employee_id !== undefined) ids.add(s.employee_id);
  if ('teams' in result) {
    for (const t of result.teams) for (const id of t.members) ids.add(id);
    for (const u of result.unassigned) ids.add(u.employee_id);
  }
  return { name: pseudonymiser(ids, options.anonymise.salt), anonymised: true, style };
}

/** "Ada Lovelace (E042)"; the id alone when the person has no label. */
function labelled(id: string, label: string | undefined): string {
  return label === undefined || label.trim() === '' ? id : `${label} (${id})`;
}
