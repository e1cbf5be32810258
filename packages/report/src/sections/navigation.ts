import type { ClusteringResult } from '@insights/core';
import { h, type Markup } from '../html.js';

/**
 * Links to each part of the report, so a long one (thousands of team cards) can be crossed in a
 * click. Only the parts the report holds are listed.
 */
export function navigation(result: ClusteringResult, teams: boolean): Markup {
  const links: [string, string][] = [];
  if (teams) links.push(['team-overview', 'Teams at a glance'], ['team-cards', 'Team cards']);
  links.push(['wheel', 'The Insights wheel'], ['clusters', 'Clusters'], ['quality', 'Quality']);
  if (result.skipped.length > 0) links.push(['skipped', 'Rows left out']);
  return h(
    'nav',
    { class: 'toc', 'aria-label': 'Sections' },
    h(
      'ul',
      {},
      links.map(([id, text]) => h('li', {}, h('a', { href: `#${id}` }, text))),
    ),
  );
}

/**
 * The filter box: hidden until {@link FILTER_SCRIPT} shows it, so a reader whose viewer runs no
 * script never sees a box that does nothing.
 */
export function filterBox(): Markup {
  return h(
    'div',
    { class: 'filter', id: 'filter', hidden: true },
    h('label', { for: 'filter-input' }, 'Find a team, person, cluster or spread value: '),
    h('input', { type: 'search', id: 'filter-input', autocomplete: 'off' }),
    ' ',
    h('span', { id: 'filter-count', class: 'note', 'aria-live': 'polite' }),
  );
}

/**
 * The report's one script: filters the team overview rows and cards by the text typed, matching
 * each element's `data-filter` (team number, members as shown, cluster names, spread values).
 * Constant text, allowed by its hash in the content security policy; it reads nothing but the
 * page and fetches nothing (the policy would refuse it).
 */
export const FILTER_SCRIPT =
  "(function(){var box=document.getElementById('filter');if(!box)return;box.hidden=false;" +
  "var items=document.querySelectorAll('[data-filter]');var count=document.getElementById('filter-count');" +
  "document.getElementById('filter-input').addEventListener('input',function(event){" +
  'var query=event.target.value.trim().toLowerCase();var shown=0;' +
  "for(var i=0;i<items.length;i++){var hit=query===''||items[i].getAttribute('data-filter').indexOf(query)>=0;" +
  "items[i].hidden=!hit;if(hit&&items[i].tagName==='ARTICLE')shown++;}" +
  "count.textContent=query===''?'':shown+(shown===1?' team matches':' teams match');});})();";
