import type { ClusteringResult } from '@insights/core';

/** Quotes a CSV field when it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The assignments as CSV: `employee_id,cluster`, one row per person in input order. */
export function formatAssignmentsCsv(result: ClusteringResult): string {
  const lines = ['employee_id,cluster'];
  for (const a of result.assignments) lines.push(`${csvField(a.employee_id)},${a.cluster}`);
  return `${lines.join('\n')}\n`;
}
