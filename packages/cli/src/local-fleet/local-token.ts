import type { Store } from '@insights/store';

/** An API token for the local fleet's own use, and how to revoke it. */
export interface LocalToken {
  secret: string;
  revoke(): Promise<void>;
}

/** Makes a token for `organization`, named after the local fleet, to be revoked when the fleet stops. */
export async function issueLocalToken(store: Store, organization: string): Promise<LocalToken> {
  const created = await store.createToken(organization, 'insights fleet (local)');
  return { secret: created.token, revoke: async () => void (await store.revokeToken(created.id)) };
}
