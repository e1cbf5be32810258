import pg from 'pg';

/**
 * Anything that runs a parameterised query: a `pg.Pool`, a pooled client (to take part in the
 * caller's transaction) or a `pg.Client`.
 */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** Where the store's tables live. */
export interface SchemaOption {
  /** PostgreSQL schema holding the tables (default `public`); tests use one schema each. */
  schema?: string;
}

/** The schema an option names, `public` by default. */
export function schemaOf(options: SchemaOption | undefined): string {
  return options?.schema ?? 'public';
}

/** A table name qualified with its schema, both quoted as identifiers. */
export function table(options: SchemaOption | undefined, name: string): string {
  return `${pg.escapeIdentifier(schemaOf(options))}.${pg.escapeIdentifier(name)}`;
}

/** The SQLSTATE of a database error, if the value is one. */
export function sqlState(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
