import type { ClusteringResult } from '@insights/core';
import { labelsFromColumn, newSalt, renderReport, type LabelSource, type PeopleEnergies, type ReportOptions, type TeamsResult } from '@insights/report';
import { UsageError } from '../errors.js';

/** The report flags every command with `--format html` takes. */
export interface ReportFlags {
  format: string;
  anonymise?: boolean;
  anonymiseSalt?: string;
  labelColumn?: string;
}

/**
 * Refuses the anonymising flags with any format but html (the only one they change) and an empty
 * salt, before any work is done.
 */
export function checkReportFlags(flags: ReportFlags): void {
  const anonymise = flags.anonymise === true || flags.anonymiseSalt !== undefined;
  if (anonymise && flags.format !== 'html') {
    throw new UsageError(`--anonymise applies to --format html only (got --format ${flags.format})`);
  }
  if (flags.anonymiseSalt !== undefined && flags.anonymiseSalt.length === 0) throw new UsageError('--anonymise-salt: expected a non-empty secret');
  if (flags.labelColumn !== undefined) {
    if (flags.format !== 'html') throw new UsageError(`--label-column applies to --format html only (got --format ${flags.format})`);
    // A label names the person: it would undo the pseudonyms.
    if (anonymise) throw new UsageError('--label-column cannot be combined with --anonymise: a label would name the people the pseudonyms hide');
    if (flags.labelColumn.trim() === '') throw new UsageError('--label-column: expected a column name');
  }
}

/**
 * Report options from the flags: pseudonyms when `--anonymise` or `--anonymise-salt` was given
 * (with a fresh random salt unless one was), display labels from `--label-column`, the people's
 * energies for the wheel, and the time.
 */
export function reportOptionsFrom(flags: ReportFlags, people: (PeopleEnergies & Partial<LabelSource>) | undefined): ReportOptions {
  checkReportFlags(flags);
  const options: ReportOptions = { generatedAt: new Date() };
  if (people !== undefined) options.people = people;
  if (flags.labelColumn !== undefined && flags.format === 'html') options.labels = labelsOf(people, flags.labelColumn);
  if (flags.anonymise === true || flags.anonymiseSalt !== undefined) options.anonymise = { salt: flags.anonymiseSalt ?? newSalt() };
  return options;
}

function labelsOf(people: Partial<LabelSource> | undefined, column: string): NonNullable<ReportOptions['labels']> {
  if (people?.ids === undefined || people.metadata === undefined)
    throw new UsageError('--label-column: this result comes without its input columns, so there is nothing to label with');
  try {
    return labelsFromColumn({ ids: people.ids, metadata: people.metadata }, column);
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(`--label-column: ${error.message}`);
    throw error;
  }
}

/** A clustering or team-formation result as a self-contained HTML report. */
export function formatHtml(result: ClusteringResult | TeamsResult, options: ReportOptions): string {
  return renderReport(result, options);
}
