import { expect } from 'chai';
import { InvalidOptionsError, parseProfilesCsv } from '@insights/core';
import { ApiError } from './errors.js';
import { mediaType, readSubmission } from './submission.js';
import type { CsvUpload } from './upload/csv-upload.js';

function refusal(work: () => unknown): ApiError {
  try {
    work();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('api submission parsing', () => {
  const profiles = parseProfilesCsv('employee_id,red_energy,blue_energy,green_energy,yellow_energy\na,1,2,3,4\nb,4,3,2,1\n');
  const csv: CsvUpload = { profiles, rows: 2, fingerprint: 'f' };

  it('reads CSV options from the query string, coercing numbers and flags', () => {
    const parsed = readSubmission(
      'team-formation',
      'text/csv; charset=utf-8',
      { method: 'kmeans', clusters: '3', seed: '7', skip_invalid: 'true', team_size: '4-6', spread_by: 'site' },
      csv,
      10,
    );
    expect(parsed).to.deep.include({ kind: 'team-formation', rows: 2, skipInvalid: true, data: { upload: csv } });
    expect(parsed.clustering).to.deep.equal({ method: 'kmeans', clusters: 3, seed: 7 });
    expect(parsed.teams).to.deep.equal({ teamSize: [4, 6], seed: 7, spreadBy: 'site' });
  });

  it('reads JSON options beside employees (a bare array too), with the body winning over the query', () => {
    const employees = [{ employee_id: 'a' }, { employee_id: 'b' }, { employee_id: 'c' }];
    const parsed = readSubmission(
      'clustering',
      'application/json',
      { clusters: '5' },
      { employees, clusters: 'auto', stability_runs: 0, parameters: { esn: { units: 50 } } },
      10,
    );
    expect(parsed.rows).to.equal(3);
    expect(parsed.clustering).to.deep.equal({ clusters: 'auto', stabilityRuns: 0, esn: { units: 50 } });
    expect(parsed.skipInvalid).to.equal(false);
    expect(readSubmission('clustering', 'application/json', {}, employees, 10).data).to.deep.equal({ employees });
  });

  it('reports every malformed field at once, naming where it is', () => {
    const error = refusal(() => readSubmission('team-formation', 'text/csv', { clusters: 'x', seed: '-1', team_size: '4', extra: '1', more: '2' }, csv, 10));
    expect(error.code).to.equal('INVALID_REQUEST');
    expect(error.errors).to.have.length(4);
    expect(error.errors).to.include('query: unknown parameters extra, more');
    expect(error.errors!.filter((e) => e.startsWith('query.'))).to.have.length(3);
    const body = refusal(() => readSubmission('clustering', 'application/json', {}, { employees: 'none', method: 'best' }, 10));
    expect(body.errors!.map((e) => e.split(':')[0])).to.have.members(['body.employees', 'body.method']);
  });

  it('leaves range checks to the core, which lists every problem', () => {
    expect(() => readSubmission('team-formation', 'text/csv', {}, csv, 10)).to.throw(InvalidOptionsError, 'give either teams or teamSize');
  });

  it('refuses other media types', () => {
    expect(refusal(() => readSubmission('clustering', 'text/plain', {}, csv, 10)).code).to.equal('UNSUPPORTED_MEDIA_TYPE');
    expect(refusal(() => readSubmission('clustering', undefined, {}, undefined, 10)).code).to.equal('UNSUPPORTED_MEDIA_TYPE');
  });

  it('reads the media type without parameters', () => {
    expect(mediaType(' Text/CSV ; charset=utf-8')).to.equal('text/csv');
  });
});
