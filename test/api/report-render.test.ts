import { expect } from 'chai';
import { clusterProfiles, generateSynthetic, parseProfilesCsv } from '@insights/core';
import { ApiError } from '../../packages/api/dist/errors.js';
// The renderer starts its thread from the compiled file next to it, so it is tested from dist.
import { ReportRenderer } from '../../packages/api/dist/report-render/render-pool.js';

describe('ReportRenderer', function () {
  this.timeout(60_000);
  const population = generateSynthetic('separated', 60, 3);
  const lines = ['employee_id,red_energy,blue_energy,green_energy,yellow_energy'];
  for (let i = 0; i < 60; i++) lines.push(`${population.ids[i]},${Array.from(population.energies.subarray(4 * i, 4 * i + 4)).join(',')}`);
  const result = clusterProfiles(parseProfilesCsv(lines.join('\n')), { method: 'kmeans', clusters: 3, stabilityRuns: 0 });
  const stored = { result: result as unknown as Record<string, unknown>, datasetId: null };

  it('renders on a thread, one at a time with a bounded line, and refuses the rest with UNAVAILABLE', async () => {
    const renderer = new ReportRenderer({ concurrent: 1, waiting: 2 });
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => renderer.render(async () => ({ stored, dataset: null }), {})));
    const rendered = outcomes.filter((o): o is PromiseFulfilledResult<Buffer> => o.status === 'fulfilled');
    expect(rendered).to.have.length(3);
    for (const { value } of rendered) expect(value.toString('utf8')).to.match(/^<!DOCTYPE html>/i);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as ApiError);
    expect(refused.map((e) => e instanceof ApiError && e.code)).to.deep.equal(['UNAVAILABLE', 'UNAVAILABLE']);
    // The line drains: a later report renders again.
    expect((await renderer.render(async () => ({ stored, dataset: null }), {})).length).to.be.greaterThan(1000);
  });
});
