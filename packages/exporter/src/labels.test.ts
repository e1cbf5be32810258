import { expect } from 'chai';
import { CappedLabel, CLUSTER_COUNT_BUCKETS, countBucket, methodLabel, strategyLabel, TEAM_COUNT_BUCKETS } from './labels.js';

describe('labels', () => {
  it('puts cluster counts in fixed ranges', () => {
    const cases: [number, string][] = [
      [0, '1'],
      [1, '1'],
      [2, '2-3'],
      [3, '2-3'],
      [4, '4-6'],
      [6, '4-6'],
      [7, '7-10'],
      [10, '7-10'],
      [11, '11+'],
      [50, '11+'],
    ];
    expect(cases.map(([k]) => countBucket(k, CLUSTER_COUNT_BUCKETS))).to.deep.equal(cases.map(([, bucket]) => bucket));
  });

  it('puts team counts in fixed ranges', () => {
    const cases: [number, string][] = [
      [1, '1'],
      [3, '2-3'],
      [6, '4-6'],
      [8, '7-10'],
      [20, '11-20'],
      [21, '21-50'],
      [50, '21-50'],
      [51, '51+'],
      [900, '51+'],
    ];
    expect(cases.map(([n]) => countBucket(n, TEAM_COUNT_BUCKETS))).to.deep.equal(cases.map(([, bucket]) => bucket));
  });

  it('keeps only known methods and strategies', () => {
    expect(['kmeans', 'hybrid', 'quantum', undefined, 7].map(methodLabel)).to.deep.equal(['kmeans', 'hybrid', 'unknown', 'unknown', 'unknown']);
    expect(['local-search', 'greedy', undefined].map(strategyLabel)).to.deep.equal(['local-search', 'other', 'unknown']);
  });

  it('gives the first N organisations their own value and the rest `other`', () => {
    const orgs = new CappedLabel(50);
    const names = Array.from({ length: 52 }, (_, i) => `org-${i + 1}`);
    const labels = names.map((name) => orgs.of(name));
    expect(labels.slice(0, 50)).to.deep.equal(names.slice(0, 50));
    expect(labels.slice(50)).to.deep.equal(['other', 'other']);
    expect(orgs.of('org-7'), 'a known organisation keeps its value after the cap is reached').to.equal('org-7');
    expect(orgs.values).to.have.length(50);
  });

  it('reports a value that is not a plausible name as `unknown`, without using up the cap', () => {
    const orgs = new CappedLabel(1);
    expect([orgs.of(undefined), orgs.of(''), orgs.of('a\nb'), orgs.of('x'.repeat(101))]).to.deep.equal(['unknown', 'unknown', 'unknown', 'unknown']);
    expect(orgs.of('acme')).to.equal('acme');
  });
});
