import type { ClusteringResult } from '@insights/core';
import { newSalt, renderReport, type PeopleEnergies, type ReportOptions, type TeamsResult } from '@insights/report';
import { UsageError } from '../errors.js';

/** The report flags every command with `--format html` takes. */
export interface ReportFlags {
  format: string;
  anonymise?: boolean;
  anonymiseSalt?: string;
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
}

/**
 * Report options from the flags: pseudonyms when `--anonymise` or `--anonymise-salt` was given
 * (with a fresh random salt unless one was), the people's energies for the wheel, and the time.
 */
export function reportOptionsFrom(flags: ReportFlags, people: PeopleEnergies | undefined): ReportOptions {
  checkReportFlags(flags);
  const options: ReportOptions = { generatedAt: new Date() };
  if (people !== undefined) options.people = people;
  if (flags.anonymise === true || flags.anonymiseSalt !== undefined) options.anonymise = { salt: flags.anonymiseSalt ?? newSalt() };
  return options;
}

/** A clustering or team-formation result as a self-contained HTML report. */
export function formatHtml(result: ClusteringResult | TeamsResult, options: ReportOptions): string {
  return renderReport(result, options);
}
