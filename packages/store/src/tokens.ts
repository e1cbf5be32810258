import { createHash, randomBytes } from 'node:crypto';
import { table, type Queryable, type SchemaOption } from './sql.js';

/** Every token starts with this, so that secret scanners and people recognise one. */
export const TOKEN_PREFIX = 'oci_';

/** A token as stored: never the token itself, only its hash. */
export interface ApiToken {
  /** Public identifier (`tok_…`), safe to log, print and audit. */
  id: string;
  organization: string;
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** A new token: its record, and the token text, which exists only in this value. */
export interface CreatedToken extends ApiToken {
  token: string;
}

interface TokenRecord {
  id: string;
  organization: string;
  name: string;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const COLUMNS = 'id, organization, name, created_at, revoked_at, last_used_at';

/** Hex SHA-256 of a token's text: what the tokens table stores and looks up by. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Makes a token for an organisation: 32 random bytes, base64url, behind `oci_`; stores only its hash. */
export async function createToken(db: Queryable, organization: string, name = '', options?: SchemaOption): Promise<CreatedToken> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = `tok_${randomBytes(8).toString('hex')}`;
  const { rows } = await db.query<TokenRecord>(
    `INSERT INTO ${table(options, 'api_tokens')} (id, organization, name, token_hash) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
    [id, organization, name, hashToken(token)],
  );
  return { ...recordToToken(rows[0]!), token };
}

/**
 * The token whose hash matches, revoked or not (so that a refused revoked token can be audited
 * by id), or null. One indexed query, no cache: a revocation takes effect on the next request.
 * Marks the token used when it last was more than a minute ago (one write a minute at most).
 */
export async function findToken(db: Queryable, token: string, options?: SchemaOption): Promise<ApiToken | null> {
  const { rows } = await db.query<TokenRecord>(`SELECT ${COLUMNS} FROM ${table(options, 'api_tokens')} WHERE token_hash = $1`, [hashToken(token)]);
  const record = rows[0];
  if (record === undefined) return null;
  if (record.revoked_at === null && (record.last_used_at === null || Date.now() - record.last_used_at.getTime() > 60_000)) {
    await db.query(`UPDATE ${table(options, 'api_tokens')} SET last_used_at = now() WHERE id = $1`, [record.id]);
  }
  return recordToToken(record);
}

/** Revokes a token; false when there is no such token or it was already revoked. */
export async function revokeToken(db: Queryable, id: string, options?: SchemaOption): Promise<{ revoked: boolean }> {
  const { rowCount } = await db.query(`UPDATE ${table(options, 'api_tokens')} SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
  return { revoked: rowCount === 1 };
}

/** An organisation's tokens, oldest first (never the token texts: they are not stored). */
export async function listTokens(db: Queryable, organization: string, options?: SchemaOption): Promise<ApiToken[]> {
  const { rows } = await db.query<TokenRecord>(`SELECT ${COLUMNS} FROM ${table(options, 'api_tokens')} WHERE organization = $1 ORDER BY created_at, id`, [
    organization,
  ]);
  return rows.map(recordToToken);
}

function recordToToken(record: TokenRecord): ApiToken {
  return {
    id: record.id,
    organization: record.organization,
    name: record.name,
    createdAt: record.created_at,
    revokedAt: record.revoked_at,
    lastUsedAt: record.last_used_at,
  };
}
