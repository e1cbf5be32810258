import { expect } from 'chai';
import pg from 'pg';
import { createToken, findToken, hashToken, listTokens, revokeToken, TOKEN_PREFIX } from './tokens.js';
import { migratedSchema } from './test-helpers.js';

describe('tokens', () => {
  const db = migratedSchema(5);
  const { schema, options } = db;

  it('makes a prefixed random token and stores only its hash', async () => {
    const created = await createToken(db.pool, 'acme', 'ci', options);
    expect(created.token).to.match(/^oci_[A-Za-z0-9_-]{43}$/);
    expect(created.token.startsWith(TOKEN_PREFIX)).to.equal(true);
    expect(created.id).to.match(/^tok_[0-9a-f]{16}$/);
    expect(created).to.include({ organization: 'acme', name: 'ci', revokedAt: null, lastUsedAt: null });
    const { rows } = await db.pool.query(`SELECT * FROM ${pg.escapeIdentifier(schema)}.api_tokens WHERE id = $1`, [created.id]);
    expect(rows[0].token_hash).to.equal(hashToken(created.token));
    expect(JSON.stringify(rows[0])).to.not.include(created.token);
    const other = await createToken(db.pool, 'acme', 'ci', options);
    expect(other.token).to.not.equal(created.token);
  });

  it('finds a token by its text and marks it used', async () => {
    const created = await createToken(db.pool, 'acme', '', options);
    const found = await findToken(db.pool, created.token, options);
    expect(found).to.include({ id: created.id, organization: 'acme' });
    const [listed] = (await listTokens(db.pool, 'acme', options)).filter((t) => t.id === created.id);
    expect(listed!.lastUsedAt).to.be.instanceOf(Date);
    expect(await findToken(db.pool, `${created.token}x`, options)).to.equal(null);
  });

  it('still finds a revoked token, with its revocation, so that the refusal can be audited', async () => {
    const created = await createToken(db.pool, 'globex', 'old', options);
    expect(await revokeToken(db.pool, created.id, options)).to.deep.equal({ revoked: true });
    expect(await revokeToken(db.pool, created.id, options)).to.deep.equal({ revoked: false });
    expect(await revokeToken(db.pool, 'tok_unknown', options)).to.deep.equal({ revoked: false });
    const found = await findToken(db.pool, created.token, options);
    expect(found!.revokedAt).to.be.instanceOf(Date);
    expect(found!.lastUsedAt).to.equal(null);
  });

  it("lists an organisation's tokens only", async () => {
    const a = await createToken(db.pool, 'initech', 'one', options);
    const b = await createToken(db.pool, 'initech', 'two', options);
    await createToken(db.pool, 'umbrella', 'three', options);
    const listed = await listTokens(db.pool, 'initech', options);
    expect(listed.map((t) => t.id)).to.have.members([a.id, b.id]);
    expect(listed.every((t) => !('token' in t))).to.equal(true);
  });
});
