import type pg from 'pg';
import { createToken, revokeToken } from '@insights/store';

/** An API token for the local fleet's own use, and how to revoke it. */
export interface LocalToken {
  secret: string;
  revoke(): Promise<void>;
}

/** Makes a token for `organization`, named after the local fleet, to be revoked when the fleet stops. */
export async function issueLocalToken(db: pg.Pool, organization: string, schema: string): Promise<LocalToken> {
  const created = await createToken(db, organization, 'insights fleet (local)', { schema });
  return { secret: created.token, revoke: async () => void (await revokeToken(db, created.id, { schema })) };
}
