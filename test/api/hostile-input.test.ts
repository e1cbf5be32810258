import { expect } from 'chai';
import { apiSuite, bearer, problemOf } from './helpers.js';

function person(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { employee_id: id, red_energy: 10, blue_energy: 20, green_energy: 30, yellow_energy: 40, ...extra };
}

describe('api: hostile input is refused as the caller’s fault, never a 500', function () {
  this.timeout(30_000);
  const suite = apiSuite();
  const { env } = suite;

  it('answers 400 to a list cursor beyond PostgreSQL’s bigint', async () => {
    const token = await env.token('acme');
    for (const position of ['9999999999999999999', '9223372036854775808']) {
      const cursor = Buffer.from(position, 'utf8').toString('base64url');
      const response = await suite.api.app.inject({ url: `/api/v1/jobs?cursor=${cursor}`, headers: bearer(token) });
      expect(response.statusCode, position).to.equal(400);
      expect(problemOf(response).code).to.equal('INVALID_REQUEST');
    }
    const last = Buffer.from('9223372036854775807', 'utf8').toString('base64url');
    expect((await suite.api.app.inject({ url: `/api/v1/jobs?cursor=${last}`, headers: bearer(token) })).statusCode).to.equal(200);
  });

  it('answers 422 naming item and column to metadata nested 5,000 deep, and to a NUL in JSON', async () => {
    const token = await env.token('acme');
    const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    const people = [person('a'), person('b'), person('c')].map((p) => JSON.stringify(p));
    people[1] = people[1]!.replace('}', `,"extra":${deep}}`);
    const nested = await suite.api.app.inject({
      method: 'POST',
      url: '/api/v1/jobs/clustering?clusters=2',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: `[${people.join(',')}]`,
    });
    expect(nested.statusCode, nested.body).to.equal(422);
    expect(problemOf(nested).errors).to.deep.equal(['item 2, column extra: nested more than 64 levels deep']);
    const nul = await suite.api.app.inject({
      method: 'POST',
      url: '/api/v1/jobs/clustering?clusters=2',
      headers: bearer(token),
      payload: [person('a'), person('b', { site: 'x\u0000y' }), person('c\u0000')],
    });
    expect(nul.statusCode).to.equal(422);
    expect(problemOf(nul).errors).to.deep.equal([
      'item 2, column site: contains a character that cannot be stored (U+0000)',
      'item 3, column employee_id: contains a character that cannot be stored (U+0000)',
    ]);
    expect(await env.fleet.jobCount()).to.equal(0);
  });
});

describe('api: a __proto__ key', function () {
  this.timeout(30_000);
  const suite = apiSuite();
  const { env } = suite;

  it('is carried as ordinary metadata in an employee (202), and named as an unknown parameter at the top level (400), polluting nothing', async () => {
    const token = await env.token('acme');
    const payload = `[${[person('a'), person('b'), person('c')].map((p) => JSON.stringify(p).replace('}', ',"__proto__":{"polluted":"yes"}}')).join(',')}]`;
    const carried = await suite.api.app.inject({
      method: 'POST',
      url: '/api/v1/jobs/clustering?clusters=2',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload,
    });
    expect(carried.statusCode, carried.body).to.equal(202);
    const top = await suite.api.app.inject({
      method: 'POST',
      url: '/api/v1/jobs/clustering',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: `{"employees":[],"__proto__":{"polluted":"yes"}}`,
    });
    expect(top.statusCode).to.equal(400);
    expect(problemOf(top).errors).to.include('body: unknown parameter __proto__');
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });
});
