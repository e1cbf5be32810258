import { expect } from 'chai';
import { readClusterMix, readDaviesBouldin, readSilhouette, readStability, readTeamBalance } from './reading.js';

describe('readings of quality scores', () => {
  it('reads silhouettes by the documented thresholds (0.70, 0.50, 0.25)', () => {
    expect(readSilhouette(0.71).text).to.equal('clearly separated');
    expect(readSilhouette(0.7).text).to.equal('reasonably separated');
    expect(readSilhouette(0.51).text).to.equal('reasonably separated');
    expect(readSilhouette(0.5).text).to.equal('overlapping');
    expect(readSilhouette(0.26).tone).to.equal('fair');
    expect(readSilhouette(0.25).text).to.equal('no clear structure');
    expect(readSilhouette(-0.2).tone).to.equal('poor');
  });

  it('reads stability by 0.90, 0.80 and 0.60', () => {
    expect(readStability(0.9).text).to.match(/^very stable/);
    expect(readStability(0.85).text).to.equal('stable');
    expect(readStability(0.6).tone).to.equal('fair');
    expect(readStability(0.59).text).to.match(/^unstable/);
  });

  it('reads Davies–Bouldin, lower being better, by 0.75 and 1.25', () => {
    expect(readDaviesBouldin(0.3).tone).to.equal('good');
    expect(readDaviesBouldin(0.75).tone).to.equal('fair');
    expect(readDaviesBouldin(1.25).tone).to.equal('poor');
  });

  it('reads team balance against the population’s', () => {
    expect(readTeamBalance(0.95, 0.96).tone).to.equal('good');
    expect(readTeamBalance(0.92, 0.96).tone).to.equal('fair');
    expect(readTeamBalance(0.9, 0.96).tone).to.equal('poor');
  });

  it('reads cluster mix', () => {
    expect(readClusterMix(1).tone).to.equal('good');
    expect(readClusterMix(0.5).tone).to.equal('fair');
    expect(readClusterMix(0.25).tone).to.equal('poor');
  });
});
