import type { ClusteringResult } from '@insights/core';
import { h, type Markup } from '../html.js';
import type { SectionContext } from './context.js';

/** The rows left out because the caller asked to skip invalid ones: line, id and every reason. */
export function skippedSection(result: ClusteringResult, context: SectionContext): Markup | null {
  if (result.skipped.length === 0) return null;
  return h(
    'section',
    { id: 'skipped' },
    h('h2', {}, 'Rows left out'),
    h('p', {}, `${result.skipped.length} invalid ${result.skipped.length === 1 ? 'row was' : 'rows were'} skipped on request, and why:`),
    h(
      'ul',
      { class: 'note' },
      result.skipped.map((s) =>
        h('li', {}, `line ${s.line}`, s.employee_id === undefined ? null : ` (${context.name(s.employee_id)})`, `: ${s.reasons.join('; ')}`),
      ),
    ),
  );
}
