import { expect } from 'chai';
import { clusterProfiles, formTeams, generateSynthetic, parseProfiles, type ClusteringResult, type ProfileSet } from '@insights/core';
import type { PeopleEnergies, TeamsResult } from './types.js';
import { isTeamsResult, peopleOfStoredResult, renderReport, renderStoredReport, type LoadDataset } from './stored.js';
import { parseXml, personMarks, svgsOf } from './testing.js';

/** Synthetic people, parsed as a CSV upload would be. */
function population(n: number): ProfileSet {
  const synthetic = generateSynthetic('separated', n, 3);
  const lines = synthetic.ids.map((id, i) => [id, ...synthetic.energies.subarray(4 * i, 4 * i + 4)].join(','));
  return parseProfiles(['employee_id,red_energy,blue_energy,green_energy,yellow_energy', ...lines].join('\n'), { format: 'csv' });
}

const profiles = population(40);
const clustering: ClusteringResult = clusterProfiles(profiles, { method: 'kmeans', clusters: 3, seed: 1, stabilityRuns: 0 });
const teams: TeamsResult = {
  ...clustering,
  ...formTeams(
    profiles,
    Int32Array.from(clustering.assignments, (a) => a.cluster),
    { teams: 8, seed: 1 },
  ),
};
/** As the store gives them back: JSON, not the objects the core made. */
const storedClustering = JSON.parse(JSON.stringify(clustering)) as Record<string, unknown>;
const storedTeams = JSON.parse(JSON.stringify(teams)) as Record<string, unknown>;
/** A stored data set: ids, energies and what a report must never read. */
const dataset = { ids: [...profiles.ids], energies: Array.from(profiles.energies), metadata: { secret_note: profiles.ids.map((id) => `NOTE-${id}`) } };

/** A loader over one data set, recording what it was asked for. */
function loaderOf(content: PeopleEnergies | null): LoadDataset & { asked: string[] } {
  const asked: string[] = [];
  const load = async (id: string) => {
    asked.push(id);
    return id === 'ds-1' ? content : null;
  };
  return Object.assign(load, { asked });
}

function marksOf(html: string): number {
  const wheel = svgsOf(html).find((svg) => svg.includes('class="wheel"'));
  expect(wheel, 'a wheel').to.be.a('string');
  return personMarks(parseXml(wheel!)).length;
}

describe('peopleOfStoredResult', () => {
  it('takes the ids and energies of the job’s data set, and nothing else of it', async () => {
    const load = loaderOf(dataset);
    const people = await peopleOfStoredResult({ result: storedClustering, datasetId: 'ds-1' }, load);
    expect(load.asked).to.deep.equal(['ds-1']);
    expect(people).to.have.keys(['ids', 'energies']);
    expect(people!.ids).to.deep.equal(dataset.ids);
    expect(Array.from(people!.energies)).to.deep.equal(dataset.energies);
  });

  it('is undefined when the result names no data set (without asking) or the data set is gone', async () => {
    const load = loaderOf(dataset);
    expect(await peopleOfStoredResult({ result: storedClustering, datasetId: null }, load)).to.equal(undefined);
    expect(load.asked).to.deep.equal([]);
    expect(await peopleOfStoredResult({ result: storedClustering, datasetId: 'ds-gone' }, load)).to.equal(undefined);
  });
});

describe('renderStoredReport', () => {
  it('reports a stored clustering with one mark per person of the data set, and no metadata', async () => {
    const html = await renderStoredReport({ result: storedClustering, datasetId: 'ds-1' }, loaderOf(dataset));
    expect(marksOf(html)).to.equal(40);
    expect(html).not.to.include('<article class="card team');
    expect(html).not.to.include('NOTE-');
  });

  it('reports a stored team formation with its teams first, or its clusters alone on request', async () => {
    const stored = { result: storedTeams, datasetId: 'ds-1' };
    const teamsHtml = await renderStoredReport(stored, loaderOf(dataset));
    expect(teamsHtml.match(/<article class="card team/g)).to.have.length(8);
    expect(marksOf(teamsHtml)).to.equal(40);
    const clustersHtml = await renderStoredReport(stored, loaderOf(dataset), { view: 'clustering' });
    expect(clustersHtml).not.to.include('<article class="card team');
    expect(clustersHtml.match(/<article class="card cluster"/g)).to.have.length(3);
    expect(marksOf(clustersHtml)).to.equal(40);
  });

  it('draws only the cluster centres when the data set is gone, and says so', async () => {
    const html = await renderStoredReport({ result: storedClustering, datasetId: 'ds-gone' }, loaderOf(dataset));
    expect(marksOf(html)).to.equal(0);
    expect(html).to.include('were not available to this report, so only the cluster centres are drawn');
    expect(html).to.equal(renderReport(clustering, {}));
  });

  it('passes the report options through: pseudonyms instead of ids', async () => {
    const html = await renderStoredReport({ result: storedTeams, datasetId: 'ds-1' }, loaderOf(dataset), { anonymise: { salt: 'pepper' } });
    expect(html).to.match(/Person [0-9A-F]{4}/);
    for (const id of profiles.ids) expect(html).not.to.match(new RegExp(`\\b${id}\\b`));
  });
});

describe('renderReport', () => {
  it('tells teams from clusterings, and refuses a teams view of a clustering', () => {
    expect(isTeamsResult(teams)).to.equal(true);
    expect(isTeamsResult(clustering)).to.equal(false);
    expect(() => renderReport(clustering, {}, 'teams')).to.throw(RangeError, /no teams/);
  });
});
