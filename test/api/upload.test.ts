import { expect } from 'chai';
import { syntheticCsv } from '../helpers/synthetic-csv.js';
import { apiSuite, problemOf, submitCsv } from './helpers.js';

const HEADER = 'employee_id,red_energy,blue_energy,green_energy,yellow_energy';

/** A CSV of `n` rows joined with `eol`, padded with blank lines past the inline limit so the parse thread reads it. */
function largeCsv(n: number, eol: string, padding = 300_000): string {
  const rows = syntheticCsv(n, 3).trimEnd().split('\n');
  return rows.join(eol) + eol + '\r\n'.repeat(padding / 2);
}

describe('api: uploads read as streams', function () {
  this.timeout(60_000);
  const suite = apiSuite({ INSIGHTS_MAX_EMPLOYEES: '50', INSIGHTS_MAX_BODY_MB: '2' });
  const { env } = suite;

  it('counts rows with CR-only line ends as the parser does: 60 rows over a limit of 50 are refused (413)', async () => {
    const token = await env.token('acme');
    for (const csv of [syntheticCsv(60, 2).replaceAll('\n', '\r'), largeCsv(60, '\r')]) {
      const response = await submitCsv(suite.api.app, token, 'clustering', csv);
      expect(response.statusCode).to.equal(413);
      expect(problemOf(response)).to.include({ code: 'TOO_MANY_EMPLOYEES' });
    }
    expect(await env.fleet.jobCount()).to.equal(0);
  });

  it('accepts a large body of mostly blank lines, read on the parse thread, with the rows it holds', async () => {
    const token = await env.token('acme');
    const csv = `${'\n'.repeat(500_000)}${HEADER}\n${'\r\n  \r'.repeat(200_000)}${syntheticCsv(40, 5).split('\n').slice(1).join('\r')}`;
    const response = await submitCsv(suite.api.app, token, 'clustering', csv, { clusters: '2' });
    expect(response.statusCode, response.body).to.equal(202);
    expect(JSON.parse(response.body)).to.include({ people: 40, skipped: 0 });
  });

  it('refuses broken data found on the parse thread with 422 naming the line: a NUL, a record too long', async () => {
    const token = await env.token('acme');
    const nul = largeCsv(10, '\n').replace('\n', '\nE\u0000X,1,2,3,4\n');
    const refused = await submitCsv(suite.api.app, token, 'clustering', nul, { clusters: '2' });
    expect(refused.statusCode).to.equal(422);
    expect(problemOf(refused).errors).to.deep.equal(['line 2, column employee_id: contains a character that cannot be stored (U+0000)']);
    const hugeField = `${HEADER},note\nE1,1,1,1,1,${'x'.repeat(1_500_000)}\n`;
    const huge = await submitCsv(suite.api.app, token, 'clustering', hugeField, { clusters: '2' });
    expect(huge.statusCode).to.equal(422);
    expect(problemOf(huge).errors).to.deep.equal(['line 2: record longer than 1048576 characters (a quote may be missing)']);
  });

  it('checks the query string before reading the body, and the byte limit while reading it', async () => {
    const token = await env.token('acme');
    const bad = await submitCsv(suite.api.app, token, 'clustering', largeCsv(10, '\n'), { clusters: 'many' });
    expect(bad.statusCode).to.equal(400);
    const tooBig = await submitCsv(suite.api.app, token, 'clustering', largeCsv(10, '\n', 2_200_000));
    expect(tooBig.statusCode).to.equal(413);
    expect(problemOf(tooBig)).to.include({ code: 'PAYLOAD_TOO_LARGE' });
  });
});
