import { expect } from 'chai';
import { clusterProfiles, generateSynthetic, type ClusteringResult, type ProfileSet } from '@insights/core';
import { renderClusteringReport } from '../report.js';
import { readConsensus } from './quality.js';

function people(n: number): ProfileSet {
  const synthetic = generateSynthetic('separated', n, 3);
  return { ids: synthetic.ids, energies: synthetic.energies, lines: new Int32Array(n), lineUnit: 'line', metadata: {}, skipped: [] };
}

const profiles = people(120);
const hybrid = clusterProfiles(profiles, { method: 'hybrid', seed: 1, stabilityRuns: 0 });

/** The text of the report's hybrid part, tags stripped. */
function hybridText(result: ClusteringResult): string | null {
  const html = renderClusteringReport(result, { people: profiles });
  const part = /<figure id="hybrid">([\s\S]*?)<\/figure>/.exec(html);
  return part ? part[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ') : null;
}

describe('quality section: the hybrid’s contribution', () => {
  it('says in plain words that agreeing reservoirs count equally, with a consensus reading per cluster', () => {
    const text = hybridText(hybrid)!;
    expect(text).to.include('How the reservoirs contributed');
    expect(text).to.include('clustered on its own (on 120 people)');
    expect(text).to.include('so they count about equally');
    for (const name of ['echo state network (ESN)', 'spiking network (SNN)', 'liquid state machine (LSM)']) expect(text).to.include(name);
    for (let id = 0; id < hybrid.k; id++) expect(text).to.include(`Cluster ${id}`);
    expect(text).to.include('every reservoir finds it on its own');
  });

  it('names the reservoir that agreed least and the share it kept, and flags weak clusters', () => {
    const text = hybridText({
      ...hybrid,
      hybrid: { weights: { esn: 0.4, snn: 0.4, lsm: 0.2 }, agreement: { esn: 0.9, snn: 0.88, lsm: 0.52 }, consensus: [0.97, 0.8, 0.5, null], sample_size: 120 },
    })!;
    expect(text).to.include('The liquid state machine (LSM) agreed least with the others (0.52), so it counts for 20 %');
    expect(text).to.include('the reservoirs mostly agree on it');
    expect(text).to.include('read with care');
    expect(text).to.include('no one of this cluster was in the sample');
  });

  it('is left out for the other methods', () => {
    expect(hybridText(clusterProfiles(profiles, { method: 'kmeans', seed: 1, stabilityRuns: 0 }))).to.equal(null);
  });

  it('reads consensus strength at 0.9 and 0.7', () => {
    expect(readConsensus(0.9).tone).to.equal('good');
    expect(readConsensus(0.89).tone).to.equal('fair');
    expect(readConsensus(0.7).tone).to.equal('fair');
    expect(readConsensus(0.69).tone).to.equal('poor');
  });
});
