import type { ClusteringResult } from '@insights/core';

/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection"): `=`, `+`,
 * `-`, `@`, tab and carriage return, and the full-width `＝`, `＋`, `－`, `＠` some spreadsheets
 * fold to them.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * A CSV field, safe to open in a spreadsheet: text starting like a formula gets a leading `'` and
 * is quoted, as OWASP recommends, so it shows as text and never runs; text with a comma, quote or
 * line break is quoted (RFC 4180). Numbers are written as they are.
 */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  if (FORMULA_START.test(value)) return `"'${value.replaceAll('"', '""')}"`;
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The assignments as CSV: `employee_id,cluster`, one row per person in input order. */
export function formatAssignmentsCsv(result: ClusteringResult): string {
  const lines = ['employee_id,cluster'];
  for (const a of result.assignments) lines.push(`${csvField(a.employee_id)},${a.cluster}`);
  return `${lines.join('\n')}\n`;
}
