import type { ClusteringResult } from '@insights/core';
import { h, type Markup } from '../html.js';
import { people, type SectionContext } from './context.js';

/** The report's title and the facts of the run: people, clusters, method, seed, when. */
export function headerSection(result: ClusteringResult, title: string, context: SectionContext, generatedAt: Date | undefined): Markup {
  const facts = [
    people(result.n),
    `${result.k} clusters${result.auto_k ? ' (k chosen automatically)' : ''}`,
    `method ${result.method}`,
    `seed ${result.seed}`,
    generatedAt ? `made ${generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : null,
  ];
  return h(
    'header',
    {},
    h('h1', {}, title),
    h(
      'ul',
      { class: 'facts' },
      facts.map((fact) => (fact === null ? null : h('li', {}, fact))),
    ),
    context.anonymised
      ? h('p', { class: 'note' }, 'Employee ids are replaced by pseudonyms ("Person 7F3A"); the same ids and salt always give the same pseudonyms.')
      : null,
  );
}
