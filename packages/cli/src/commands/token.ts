import type { Command } from 'commander';
import type { Store } from '@insights/store';
import { UsageError } from '../errors.js';
import { formatJson } from '../format/json.js';

/**
 * Runs `work` on a pool of DATABASE_URL, explaining a missing table or an unreachable server. The
 * store is loaded here, so that defining these commands (for `insights --help`) does not load pg.
 */
async function withDatabase<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const [{ createPool, isUnavailable, sqlState, Store }, { loadFleetConfig }] = await Promise.all([import('@insights/store'), import('../fleet-config.js')]);
  const config = loadFleetConfig(process.env);
  const db = createPool(config.DATABASE_URL, { max: 1, applicationName: 'insights-cli' });
  try {
    return await work(new Store(db, config.DATABASE_SCHEMA));
  } catch (error) {
    if (sqlState(error) === '42P01')
      throw new UsageError(`the tokens table does not exist in schema ${config.DATABASE_SCHEMA}: run \`insights migrate\` first`);
    if (isUnavailable(error))
      throw new UsageError(`cannot reach PostgreSQL at ${config.DATABASE_URL}; start it (scripts/ensure-services.sh) or set DATABASE_URL`);
    throw error;
  } finally {
    await db.end();
  }
}

/** `insights token create|revoke|list`: API tokens, stored hashed in PostgreSQL. */
export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('make, revoke and list API tokens (DATABASE_URL, DATABASE_SCHEMA)');

  token
    .command('create')
    .description('make a token for an organisation; it is printed once and never stored')
    .requiredOption('--org <name>', 'organisation the token acts for')
    .option('--name <label>', 'a label for people: who or what uses it', '')
    .option('--json', 'print JSON')
    .action(async (flags: { org: string; name: string; json?: boolean }) => {
      const organization = flags.org.trim();
      if (organization === '' || organization.length > 100) throw new UsageError('--org: expected 1 to 100 characters');
      // The name reaches logs, metric labels and reports: no control characters (a NUL PostgreSQL refuses, escapes that forge lines).
      if (/\p{Cc}/u.test(organization)) throw new UsageError('--org: control characters are not allowed in an organisation name');
      const created = await withDatabase((store) => store.createToken(organization, flags.name));
      const view = {
        id: created.id,
        organization: created.organization,
        name: created.name,
        token: created.token,
        created_at: created.createdAt.toISOString(),
      };
      process.stdout.write(flags.json ? formatJson(view, false) : `${created.token}\n`);
      if (!flags.json) process.stderr.write(`token ${created.id} for organisation ${created.organization}: store it now, it cannot be shown again\n`);
    });

  token
    .command('revoke')
    .description('revoke a token: it is refused from the next request on')
    .argument('<id>', 'token id (tok_…)')
    .action(async (id: string) => {
      const { revoked } = await withDatabase((store) => store.revokeToken(id));
      if (!revoked) throw new UsageError(`no active token ${id} (unknown, or already revoked)`);
      process.stdout.write(`revoked ${id}\n`);
    });

  token
    .command('list')
    .description("an organisation's tokens (ids and labels; the tokens themselves are not stored)")
    .requiredOption('--org <name>', 'organisation')
    .option('--json', 'print JSON')
    .action(async (flags: { org: string; json?: boolean }) => {
      const tokens = await withDatabase((store) => store.listTokens(flags.org.trim()));
      const rows = tokens.map((t) => ({
        id: t.id,
        name: t.name,
        created_at: t.createdAt.toISOString(),
        last_used_at: t.lastUsedAt?.toISOString() ?? null,
        revoked_at: t.revokedAt?.toISOString() ?? null,
      }));
      if (flags.json) {
        process.stdout.write(formatJson(rows, false));
        return;
      }
      for (const r of rows)
        process.stdout.write(
          `${r.id}\t${r.name || '-'}\tcreated ${r.created_at}\t${r.revoked_at ? `revoked ${r.revoked_at}` : `last used ${r.last_used_at ?? 'never'}`}\n`,
        );
    });
}
