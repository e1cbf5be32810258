import { expect } from 'chai';
import { appendAudit, readAudit, type AuditEntry } from './audit.js';
import { migratedSchema, rejection } from './test-helpers.js';

describe('audit log', () => {
  const db = migratedSchema(5);
  const { options } = db;

  function entry(overrides: Partial<AuditEntry>): AuditEntry {
    return { at: new Date(), tokenId: 'tok_1', organization: 'acme', action: 'read', jobId: 'job-1', outcome: 'ok', requestId: 'req-1', ...overrides };
  }

  it('appends a batch in one statement and reads it back in order, filtered', async () => {
    const batch = [
      entry({ action: 'submit', outcome: 'ok', requestId: 'r1' }),
      entry({ action: 'read', outcome: 'NOT_FOUND', jobId: 'job-2', requestId: 'r2' }),
      entry({ action: 'token_refused', tokenId: null, organization: null, jobId: null, outcome: 'unknown', requestId: 'r3' }),
      entry({ organization: 'globex', action: 'delete', requestId: 'r4' }),
    ];
    await appendAudit(db.pool, batch, options);
    await appendAudit(db.pool, [], options);
    const acme = await readAudit(db.pool, { organization: 'acme' }, options);
    expect(acme.map((e) => e.requestId)).to.deep.equal(['r1', 'r2']);
    expect(acme[1]).to.include({ action: 'read', outcome: 'NOT_FOUND', jobId: 'job-2', tokenId: 'tok_1' });
    expect((await readAudit(db.pool, { action: 'token_refused' }, options))[0]).to.include({ tokenId: null, organization: null, outcome: 'unknown' });
    expect((await readAudit(db.pool, { jobId: 'job-1' }, options)).map((e) => e.requestId)).to.deep.equal(['r1', 'r4']);
    expect(await readAudit(db.pool, { limit: 2 }, options)).to.have.length(2);
  });

  it('refuses an action outside the list', async () => {
    const error = await rejection(appendAudit(db.pool, [entry({ action: 'export' as 'read' })], options));
    expect((error as { code?: string }).code).to.equal('23514');
  });
});
