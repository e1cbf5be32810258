import { createServer } from 'node:net';
import { expect } from 'chai';
import pg from 'pg';
import { createPool, isUnavailable } from './pool.js';
import { rejection, TEST_DATABASE_URL } from './test-helpers.js';

/** A local TCP port that nothing listens on: bound, then released. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

describe('createPool', () => {
  it('connects with the given application name', async () => {
    const pool = createPool(TEST_DATABASE_URL, { max: 1, applicationName: 'store-pool-test' });
    try {
      const { rows } = await pool.query<{ name: string }>(`SELECT current_setting('application_name') AS name`);
      expect(rows[0]!.name).to.equal('store-pool-test');
    } finally {
      await pool.end();
    }
  });

  it('survives an idle connection being killed, reporting it to onError', async () => {
    const errors: Error[] = [];
    const pool = createPool(TEST_DATABASE_URL, { max: 1, onError: (error) => errors.push(error) });
    const killer = new pg.Client(TEST_DATABASE_URL);
    try {
      const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const lost = new Promise<void>((resolve) => pool.once('error', () => resolve()));
      await killer.connect();
      await killer.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await lost;
      expect(errors).to.have.length(1);
      expect(isUnavailable(errors[0])).to.equal(true);
      const again = await pool.query<{ one: number }>('SELECT 1 AS one');
      expect(again.rows[0]!.one).to.equal(1);
    } finally {
      await killer.end();
      await pool.end();
    }
  });
});

describe('isUnavailable', () => {
  it('is true for a refused connection', async () => {
    const port = await unusedPort();
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'test' });
    const error = await rejection(client.connect());
    expect(error).to.have.property('code', 'ECONNREFUSED');
    expect(isUnavailable(error)).to.equal(true);
  });

  it('is true for a query that outlives queryTimeoutMillis, and the pool goes on with a new connection', async () => {
    const pool = createPool(TEST_DATABASE_URL, { max: 1, queryTimeoutMillis: 200 });
    try {
      const error = await rejection(pool.query('SELECT pg_sleep(2)'));
      expect((error as Error).message).to.equal('Query read timeout');
      expect(isUnavailable(error)).to.equal(true);
      const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one');
      expect(rows[0]!.one).to.equal(1);
    } finally {
      await pool.end();
    }
  });

  it('is true for a pool query against a server that is not there', async () => {
    const pool = createPool(`postgres://postgres@127.0.0.1:${await unusedPort()}/test`, { max: 1 });
    try {
      expect(isUnavailable(await rejection(pool.query('SELECT 1')))).to.equal(true);
    } finally {
      await pool.end();
    }
  });

  it("is true for the server's admin shutdown (57P01) and the lost connection after it", async () => {
    const client = new pg.Client(TEST_DATABASE_URL);
    const lost = new Promise<Error>((resolve) => client.once('error', resolve));
    await client.connect();
    const error = await rejection(client.query('SELECT pg_terminate_backend(pg_backend_pid())'));
    expect(error).to.have.property('code', '57P01');
    expect(isUnavailable(error)).to.equal(true);
    expect(isUnavailable(await lost)).to.equal(true);
    expect(isUnavailable(await rejection(client.query('SELECT 1')))).to.equal(true);
  });

  it('is true for SQLSTATEs of a server starting, out of slots, or any 08xxx connection exception', () => {
    for (const code of ['57P03', '53300', '08000', '08003', '08006', '08001', '08P01', 'ECONNRESET', 'ETIMEDOUT']) {
      expect(isUnavailable(Object.assign(new Error(code), { code })), code).to.equal(true);
    }
  });

  it('looks through causes and aggregate errors', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(isUnavailable(new Error('saving the result failed', { cause: refused }))).to.equal(true);
    expect(isUnavailable(new AggregateError([new Error('other'), refused]))).to.equal(true);
    expect(isUnavailable(new AggregateError([new Error('other')]))).to.equal(false);
  });

  it('is false for errors that retrying cannot fix', async () => {
    const pool = createPool(TEST_DATABASE_URL, { max: 1 });
    try {
      const syntax = await rejection(pool.query('SELEKT 1'));
      expect(syntax).to.have.property('code', '42601');
      expect(isUnavailable(syntax)).to.equal(false);
      const missing = await rejection(pool.query('SELECT * FROM no_such_table_anywhere'));
      expect(isUnavailable(missing)).to.equal(false);
    } finally {
      await pool.end();
    }
    for (const value of [new Error('boom'), new TypeError('x is undefined'), undefined, null, 'ECONNREFUSED', { code: 42 }]) {
      expect(isUnavailable(value), String(value)).to.equal(false);
    }
  });
});
