import { AUTO_K, type ClusteringResult } from '@insights/core';
import { h, type Markup } from '../html.js';
import { readDaviesBouldin, readSilhouette, readStability, type Reading } from '../reading.js';
import { autoKChart } from '../svg/line-chart.js';

/** The stability a k had to reach under `--clusters auto`. */
const AUTO_K_STABILITY_BAR = AUTO_K.minStability;

/** The quality scores with their readings, the fallback if one was used, and the auto-k curve. */
export function qualitySection(result: ClusteringResult): Markup {
  const q = result.quality;
  const sampled = q.silhouette_sample_size < result.n ? ` (on a sample of ${q.silhouette_sample_size})` : '';
  const rows = [
    row(
      'Silhouette',
      q.silhouette.toFixed(3),
      readSilhouette(q.silhouette),
      `−1 to 1, higher is better: how much closer people are to their own cluster than to the next${sampled}`,
    ),
    q.stability === null
      ? null
      : row('Stability', q.stability.toFixed(3), readStability(q.stability), '0 to 1: how often the same clusters come back when the data are resampled'),
    row(
      'Davies–Bouldin',
      q.davies_bouldin.toFixed(3),
      readDaviesBouldin(q.davies_bouldin),
      '0 and up, lower is better: cluster spread against the distance between centres',
    ),
    row('Calinski–Harabasz', q.calinski_harabasz.toFixed(1), null, 'higher is better; no absolute scale, compare runs on the same data'),
    row('Inertia', q.inertia.toFixed(0), null, 'squared distance of people from their cluster centre, in squared percentage points; lower is tighter'),
  ];
  return h(
    'section',
    { class: 'page', id: 'quality' },
    h('h2', {}, 'How good is the clustering?'),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Score'), h('th', { class: 'num' }, 'Value'), h('th', {}, 'Reading'), h('th', {}, 'What it measures'))),
      h('tbody', {}, rows),
    ),
    result.fallback.used ? h('p', {}, `The method’s features were replaced by k-means on the energies: ${result.fallback.reason ?? 'no reason given'}.`) : null,
    result.hybrid ? hybridPart(result.hybrid) : null,
    result.auto_k ? autoKPart(result.auto_k) : null,
  );
}

const MEMBER_NAMES: Record<string, string> = { esn: 'echo state network (ESN)', snn: 'spiking network (SNN)', lsm: 'liquid state machine (LSM)' };

/**
 * Consensus strength of a cluster in words: from 0.9 every reservoir finds the cluster on its own,
 * from 0.7 most of it, below that they disagree about who belongs to it.
 */
export function readConsensus(strength: number): Reading {
  if (strength >= 0.9) return { text: 'every reservoir finds it on its own', tone: 'good' };
  if (strength >= 0.7) return { text: 'the reservoirs mostly agree on it', tone: 'fair' };
  return { text: 'the reservoirs disagree on who belongs here: read with care', tone: 'poor' };
}

/** What each of the hybrid's reservoirs contributed, and how firmly they agree on each cluster. */
function hybridPart(hybrid: NonNullable<ClusteringResult['hybrid']>): Markup {
  const members = Object.keys(hybrid.weights);
  const share = (m: string) => `${Math.round(hybrid.weights[m]! * 100)} %`;
  const weights = members.map((m) => hybrid.weights[m]!);
  const equal = Math.max(...weights) - Math.min(...weights) < 0.05;
  const weakest = members.reduce((a, b) => (hybrid.agreement[b]! < hybrid.agreement[a]! ? b : a));
  const summary = equal
    ? `The ${members.length} reservoirs found much the same clusters on their own, so they count about equally.`
    : `The ${MEMBER_NAMES[weakest] ?? weakest} agreed least with the others (${hybrid.agreement[weakest]!.toFixed(2)}), ` +
      `so it counts for ${share(weakest)} of the space the clusters were found in.`;
  return h(
    'figure',
    { id: 'hybrid' },
    h('h3', {}, 'How the reservoirs contributed'),
    h(
      'p',
      {},
      `The hybrid method combines ${members.length} reservoirs. Each was also clustered on its own (on ${hybrid.sample_size} people); ` +
        `the more its clusters agree with the others’, the more weight it gets. ${summary}`,
    ),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Reservoir'), h('th', { class: 'num' }, 'Weight'), h('th', { class: 'num' }, 'Agreement with the others'))),
      h(
        'tbody',
        {},
        members.map((m) =>
          h('tr', {}, h('th', {}, MEMBER_NAMES[m] ?? m), h('td', { class: 'num' }, share(m)), h('td', { class: 'num' }, hybrid.agreement[m]!.toFixed(2))),
        ),
      ),
    ),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Cluster'), h('th', { class: 'num' }, 'Consensus'), h('th', {}, 'Reading'))),
      h(
        'tbody',
        {},
        hybrid.consensus.map((strength, id) =>
          strength === null
            ? h('tr', {}, h('th', {}, `Cluster ${id}`), h('td', { class: 'num' }, '–'), h('td', {}, 'no one of this cluster was in the sample'))
            : row(`Cluster ${id}`, strength.toFixed(2), readConsensus(strength), ''),
        ),
      ),
    ),
  );
}

function row(name: string, value: string, reading: Reading | null, meaning: string): Markup {
  return h(
    'tr',
    {},
    h('th', {}, name),
    h('td', { class: 'num' }, value),
    h('td', {}, reading ? h('span', { class: `reading ${reading.tone}` }, reading.text) : '–'),
    h('td', { class: 'note' }, meaning),
  );
}

function autoKPart(autoK: NonNullable<ClusteringResult['auto_k']>): Markup {
  return h(
    'figure',
    { id: 'auto-k' },
    h('h3', {}, 'How k was chosen'),
    h(
      'p',
      {},
      `Every k from ${autoK.curve[0]?.k ?? 2} to ${autoK.curve.at(-1)?.k ?? 10} was tried. The chosen k has the best silhouette among those ` +
        `whose stability reaches ${AUTO_K_STABILITY_BAR} (the best silhouette overall if none does).`,
    ),
    autoK.curve.length > 0 ? autoKChart(autoK.curve, autoK.chosen, AUTO_K_STABILITY_BAR) : null,
  );
}
