import { expect } from 'chai';
import { clusterProfiles, formTeams, generateSynthetic, parseProfiles, type ClusteringResult, type ProfileSet } from '@insights/core';
import { renderClusteringReport, renderTeamsReport } from './report.js';
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
const teams: TeamsResult = { ...clustering, ...formTeams(profiles, Int32Array.from(clustering.assignments, (a) => a.cluster), { teamSize: [5, 7], seed: 1 }) };

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
    const cards = html.match(/<article class="card team[^"]*" data-team="\d+">[\s\S]*?<\/article>/g) ?? [];
    expect(cards).to.have.length(teams.teams.length);
    teams.teams.forEach((team, i) => {
      expect(cards[i]).to.include(`data-team="${team.id}"`);
      const members = /<p class="members"><strong>Members: <\/strong>([\s\S]*?)<\/p>/.exec(cards[i]!)![1]!;
      expect(members.split(', ')).to.have.length(team.size);
    });
    expect(personMarks(wheelOf(html))).to.have.length(profiles.ids.length);
    for (const svg of svgsOf(html)) parseXml(svg);
  });

  it('flags the least balanced teams by the result’s balance', () => {
    const flagged = flaggedTeams(teams.teams);
    expect(flagged.size).to.be.within(1, 3);
    const worst = Math.min(...teams.teams.map((t) => t.balance));
    expect([...flagged].map((id) => teams.teams.find((t) => t.id === id)!.balance)).to.include(worst);
    expect(html.match(/<article class="card team flagged"/g)).to.have.length(flagged.size);
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

  it('leaves out the spread-by counts, which come from a metadata column', () => {
    const spread: TeamsResult = { ...teams, teams: teams.teams.map((t) => ({ ...t, spread: { 'Secret Dept': t.size } })) };
    expect(renderTeamsReport(spread, { people: profiles })).not.to.include('Secret Dept');
  });
});

describe('flaggedTeams', () => {
  const team = (id: number, balance: number) => ({ ...teams.teams[0]!, id, balance });

  it('flags one in four teams, at most three, only below the mean', () => {
    expect([...flaggedTeams([team(1, 0.9), team(2, 0.9)])]).to.deep.equal([]);
    expect([...flaggedTeams([team(1, 0.9), team(2, 0.8)])]).to.deep.equal([2]);
    const many = Array.from({ length: 20 }, (_, i) => team(i + 1, 0.9 - i / 100));
    expect([...flaggedTeams(many)].sort((a, b) => a - b)).to.deep.equal([18, 19, 20]);
    expect(flaggedTeams(many.slice(0, 8)).size).to.equal(2);
  });
});
