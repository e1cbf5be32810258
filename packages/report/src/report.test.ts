import { expect } from 'chai';
import { clusterProfiles, formTeams, generateSynthetic, parseProfiles, type ClusteringResult, type ProfileSet } from '@insights/core';
import { renderClusteringReport, renderTeamsReport } from './report.js';
import { createHash } from 'node:crypto';
import { REPORT_CONTENT_SECURITY_POLICY } from './document.js';
import { FILTER_SCRIPT } from './sections/navigation.js';
import { flaggedTeams } from './sections/teams.js';
import { externalReferences, findAll, parseXml, personMarks, svgsOf } from './testing.js';
import type { TeamsResult } from './types.js';

/** Synthetic people as CSV, with some hostile ids and a metadata column that must never show. */
function population(n: number, hostile: string[] = []): ProfileSet {
  const synthetic = generateSynthetic('separated', n, 7);
  const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
  const lines = ['employee_id,red_energy,blue_energy,green_energy,yellow_energy,secret_note'];
  synthetic.ids.forEach((id, i) => {
    const e = Array.from(synthetic.energies.subarray(4 * i, 4 * i + 4));
    lines.push([quote(hostile[i] ?? id), ...e, quote(`NOTE-${i}`)].join(','));
  });
  return parseProfiles(lines.join('\n'), { format: 'csv' });
}

const HOSTILE = ['<script>alert(1)</script>', `"&'`, '</svg><img src=x>', ']]>--><!--'];
const profiles = population(120, HOSTILE);
const clustering: ClusteringResult = clusterProfiles(profiles, { method: 'kmeans', clusters: 'auto', seed: 1, stabilityRuns: 2 });
const teams: TeamsResult = {
  ...clustering,
  ...formTeams(
    profiles,
    Int32Array.from(clustering.assignments, (a) => a.cluster),
    { teamSize: [5, 7], seed: 1 },
  ),
};

function wheelOf(html: string) {
  const wheels = svgsOf(html).filter((svg) => svg.includes('class="wheel"'));
  expect(wheels).to.have.length(1);
  return parseXml(wheels[0]!);
}

describe('renderClusteringReport', () => {
  const html = renderClusteringReport(clustering, { people: profiles });

  it('draws every person as one mark on the wheel, in valid SVG', () => {
    for (const svg of svgsOf(html)) parseXml(svg);
    expect(personMarks(wheelOf(html))).to.have.length(profiles.ids.length);
  });

  it('has one card per cluster and the auto-k chart when k was chosen automatically', () => {
    expect(html.match(/<article class="card cluster"/g)).to.have.length(clustering.k);
    expect(html).to.include('id="auto-k"');
    const fixed = clusterProfiles(profiles, { method: 'kmeans', clusters: 3, seed: 1, stabilityRuns: 0 });
    const fixedHtml = renderClusteringReport(fixed, { people: profiles });
    expect(fixedHtml).not.to.include('id="auto-k"');
    expect(fixedHtml).not.to.include('>Stability<');
  });

  it('reads the silhouette in words', () => {
    expect(html).to.match(/clearly separated|reasonably separated|overlapping|no clear structure/);
  });

  it('fetches nothing and escapes hostile ids everywhere', () => {
    expect(externalReferences(html)).to.deep.equal([]);
    expect(html).not.to.include('<script');
    expect(html).not.to.include('<img');
    expect(html).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).to.include('&quot;&amp;&#39;');
  });

  it('shows no metadata column', () => {
    expect(html).not.to.include('NOTE-');
    expect(html).not.to.include('secret_note');
  });

  it('without energies, draws only the centroids and says so', () => {
    const bare = renderClusteringReport(clustering);
    expect(personMarks(wheelOf(bare))).to.have.length(0);
    expect(findAll(wheelOf(bare), (e) => e.attributes.class === 'centroid')).to.have.length(clustering.k);
    expect(bare).to.include('only the cluster centres are drawn');
  });

  it('is the same text for the same input', () => {
    expect(renderClusteringReport(clustering, { people: profiles })).to.equal(html);
  });
});

describe('renderTeamsReport', () => {
  const html = renderTeamsReport(teams, { people: profiles });

  it('has one card per team listing its members, and every person on the wheel', () => {
    const cards = html.match(/<article class="card team[^"]*" id="team-\d+" data-team="\d+"[^>]*>[\s\S]*?<\/article>/g) ?? [];
    expect(cards).to.have.length(teams.teams.length);
    teams.teams.forEach((team, i) => {
      expect(cards[i]).to.include(`data-team="${team.id}"`);
      const members = /<p class="members"><strong>Members: <\/strong>([\s\S]*?)<\/p>/.exec(cards[i]!)![1]!;
      expect(members.split(', ')).to.have.length(team.size);
    });
    expect(personMarks(wheelOf(html))).to.have.length(profiles.ids.length);
    for (const svg of svgsOf(html)) parseXml(svg);
  });

  it('flags the teams measurably less balanced than the rest, in the cards, the overview and the summary', () => {
    const worse: TeamsResult = { ...teams, teams: teams.teams.map((t, i) => (i === 2 ? { ...t, balance: t.balance - 0.2 } : t)) };
    const flagged = flaggedTeams(worse.teams);
    expect([...flagged]).to.deep.equal([worse.teams[2]!.id]);
    const worseHtml = renderTeamsReport(worse, { people: profiles });
    expect(worseHtml.match(/<article class="card team flagged"/g)).to.have.length(1);
    expect(worseHtml.match(/<tr class="flagged"/g)).to.have.length(1);
    expect(worseHtml).to.include(`⚑ Least balanced</span> Team ${worse.teams[2]!.id} (`);
  });

  it('flags no team when they are all about as balanced', () => {
    const even: TeamsResult = { ...teams, teams: teams.teams.map((t, i) => ({ ...t, balance: i === 0 ? 0.803 : 0.805 })) };
    expect(flaggedTeams(even.teams).size).to.equal(0);
    const evenHtml = renderTeamsReport(even, { people: profiles });
    expect(evenHtml).not.to.include('card team flagged');
    expect(evenHtml).to.include('No team is measurably less balanced than the others.');
  });

  it('opens with an overview row per team linking to its card, section links and a filter box', () => {
    const rows = html.match(/<tr[^>]* data-filter="[^"]*"><td><a href="#team-(\d+)">/g) ?? [];
    expect(rows).to.have.length(teams.teams.length);
    for (const team of teams.teams) expect(html).to.include(`id="team-${team.id}"`);
    for (const anchor of ['team-overview', 'team-cards', 'wheel', 'clusters', 'quality']) {
      expect(html).to.include(`href="#${anchor}"`);
      expect(html).to.include(`id="${anchor}"`);
    }
    expect(html).to.include('<div class="filter" id="filter" hidden="">');
  });

  it('runs no script but its own filter, which the content security policy allows by hash', () => {
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    expect(scripts).to.deep.equal([FILTER_SCRIPT]);
    const hash = createHash('sha256').update(FILTER_SCRIPT).digest('base64');
    expect(REPORT_CONTENT_SECURITY_POLICY).to.include(`script-src 'sha256-${hash}'`);
    expect(REPORT_CONTENT_SECURITY_POLICY).to.include("default-src 'none'");
    expect(renderClusteringReport(clustering, { people: profiles })).not.to.include('<script');
  });

  it('writes the numbers behind each energy bar and names the clusters in the mix', () => {
    const card = /<article class="card team[^"]*" id="team-1"[\s\S]*?<\/article>/.exec(html)![0];
    const e = teams.teams[0]!.energy_mean;
    expect(card).to.include(`red ${e.red.toFixed(1)} %, blue ${e.blue.toFixed(1)} %, green ${e.green.toFixed(1)} %, yellow ${e.yellow.toFixed(1)} %`);
    expect(card).to.match(/\d+ × Cluster \d+ · [A-Z][a-z]+/);
    expect(card).not.to.match(/\d×\d/);
  });

  it('with pseudonyms, shows no employee_id anywhere, tooltips included, and the same pseudonyms for the same salt', () => {
    const hidden = renderTeamsReport(teams, { people: profiles, anonymise: { salt: 's3cret' } });
    const escaped = (id: string) => id.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
    for (const id of profiles.ids) expect(hidden, id).not.to.include(`${escaped(id)}`);
    const titles = findAll(wheelOf(hidden), (e) => e.name === 'title').slice(1);
    expect(titles.length).to.be.greaterThan(profiles.ids.length - 1);
    for (const t of titles.filter((t) => t.text.includes(' · cluster '))) expect(t.text).to.match(/^Person [0-9A-F]{4,} · /);
    expect(renderTeamsReport(teams, { people: profiles, anonymise: { salt: 's3cret' } })).to.equal(hidden);
    expect(renderTeamsReport(teams, { people: profiles, anonymise: { salt: 'other' } })).not.to.equal(hidden);
  });

  it('shows the spread-by counts the caller asked for, escaped, and no other metadata column', () => {
    const spread: TeamsResult = { ...teams, teams: teams.teams.map((t) => ({ ...t, spread: { 'Sales <EMEA>': t.size - 1, Finance: 1 } })) };
    const spreadHtml = renderTeamsReport(spread, { people: profiles });
    expect(spreadHtml).to.include('Sales &lt;EMEA&gt; ');
    expect(spreadHtml).not.to.include('Sales <EMEA>');
    expect(spreadHtml).to.include('<th>Spread</th>');
    expect(spreadHtml).not.to.include('NOTE-');
  });

  it('shows a display label beside each id when asked, never with pseudonyms', () => {
    const names = new Map(profiles.ids.map((id, i) => [id, `Name <${i}>`]));
    const labelled = renderTeamsReport(teams, { people: profiles, labels: { column: 'name', values: names } });
    expect(labelled).to.include(`Name &lt;5&gt; (${profiles.ids[5]})`);
    const hidden = renderTeamsReport(teams, { people: profiles, labels: { column: 'name', values: names }, anonymise: { salt: 's' } });
    expect(hidden).not.to.include('Name &lt;');
  });
});

describe('flaggedTeams', () => {
  const team = (id: number, balance: number) => ({ ...teams.teams[0]!, id, balance });

  it('flags only teams measurably below the median, however many teams there are', () => {
    expect([...flaggedTeams([team(1, 0.9), team(2, 0.9)])]).to.deep.equal([]);
    expect([...flaggedTeams([team(1, 0.9), team(2, 0.8), team(3, 0.9)])]).to.deep.equal([2]);
    const tight = Array.from({ length: 20 }, (_, i) => team(i + 1, 0.805 - (i % 3) / 1000));
    expect(flaggedTeams(tight).size, 'within a thousandth or two').to.equal(0);
    const spread = Array.from({ length: 20 }, (_, i) => team(i + 1, 0.9 - i / 100));
    expect([...flaggedTeams(spread)], 'an even spread has no outlier').to.deep.equal([]);
    expect([...flaggedTeams([...tight, team(99, 0.7)])]).to.deep.equal([99]);
  });
});
