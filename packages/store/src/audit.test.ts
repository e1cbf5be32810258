import { expect } from 'chai';
import type pg from 'pg';
import { appendAudit, readAudit, type AuditEntry } from './audit.js';
import { migrate } from './migrate.js';
import { dropSchema, randomSchema, rejection, testPool } from './test-helpers.js';

describe('audit log', () => {
  let pool: pg.Pool;
  const schema = randomSchema();
  const options = { schema };

  function entry(overrides: Partial<AuditEntry>): AuditEntry {
    return { at: new Date(), tokenId: 'tok_1', organization: 'acme', action: 'read', jobId: 'job-1', outcome: 'ok', requestId: 'req-1', ...overrides };
  }

  before(async () => {
    pool = testPool(5);
    await migrate(pool, options);
  });

  after(async () => {
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('appends a batch in one statement and reads it back in order, filtered', async () => {
    const batch = [
      entry({ action: 'submit', outcome: 'ok', requestId: 'r1' }),
      entry({ action: 'read', outcome: 'NOT_FOUND', jobId: 'job-2', requestId: 'r2' }),
      entry({ action: 'token_refused', tokenId: null, organization: null, jobId: null, outcome: 'unknown', requestId: 'r3' }),
      entry({ organization: 'globex', action: 'delete', requestId: 'r4' }),
    ];
    await appendAudit(pool, batch, options);
    await appendAudit(pool, [], options);
    const acme = await readAudit(pool, { organization: 'acme' }, options);
    expect(acme.map((e) => e.requestId)).to.deep.equal(['r1', 'r2']);
    expect(acme[1]).to.include({ action: 'read', outcome: 'NOT_FOUND', jobId: 'job-2', tokenId: 'tok_1' });
    expect((await readAudit(pool, { action: 'token_refused' }, options))[0]).to.include({ tokenId: null, organization: null, outcome: 'unknown' });
    expect((await readAudit(pool, { jobId: 'job-1' }, options)).map((e) => e.requestId)).to.deep.equal(['r1', 'r4']);
    expect(await readAudit(pool, { limit: 2 }, options)).to.have.length(2);
  });

  it('refuses an action outside the list', async () => {
    const error = await rejection(appendAudit(pool, [entry({ action: 'export' as 'read' })], options));
    expect((error as { code?: string }).code).to.equal('23514');
  });
});
