import { expect } from 'chai';
import fc from 'fast-check';
import { apiSuite, bearer } from './helpers.js';

const ROUTES = [
  '/api/v1/jobs/clustering',
  '/api/v1/jobs/team-formation',
  '/api/v1/jobs',
  '/api/v1/jobs/x',
  '/api/v1/jobs/x/result',
  '/api/v1/jobs/x/report',
  '/api/health/live',
  '/api/health/ready',
  '/api/docs/openapi.json',
];
const HEADER = 'employee_id,red_energy,blue_energy,green_energy,yellow_energy';

/** Bodies from nothing to hostile: random bytes, CSV with random rows and line ends, JSON of any shape. */
const body = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc
    .array(fc.tuple(fc.string({ maxLength: 6 }), fc.array(fc.oneof(fc.nat(100).map(String), fc.string({ maxLength: 4 })), { minLength: 4, maxLength: 5 })), {
      maxLength: 8,
    })
    .chain((rows) => fc.constantFrom('\n', '\r', '\r\n').map((eol) => [HEADER, ...rows.map(([id, values]) => [id, ...values].join(','))].join(eol))),
  fc.jsonValue({ maxDepth: 6 }).map((value) => JSON.stringify(value) ?? 'null'),
  fc.string({ maxLength: 200 }),
);

const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS'),
  path: fc.oneof(
    fc.constantFrom(...ROUTES),
    fc.string({ maxLength: 30 }).map((s) => `/api/v1/jobs/${encodeURIComponent(s)}`),
    fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
  ),
  query: fc.dictionary(
    fc.constantFrom('clusters', 'method', 'seed', 'skip_invalid', 'teams', 'team_size', 'cursor', 'limit', 'state', 'x'),
    fc.string({ maxLength: 12 }),
    { maxKeys: 4 },
  ),
  contentType: fc.constantFrom('text/csv', 'application/json', 'text/plain', 'application/octet-stream', 'text/csv; charset=latin1', undefined),
  authorized: fc.boolean(),
  idempotencyKey: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
  body,
});

describe('api: arbitrary requests (property-based)', function () {
  this.timeout(120_000);
  const suite = apiSuite();
  const { env } = suite;

  it('answer 2xx, 3xx or a 4xx problem+json, never 5xx, and the app lives on', async () => {
    const token = await env.token('fuzz');
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = r.authorized ? bearer(token) : {};
        if (r.contentType !== undefined) headers['content-type'] = r.contentType;
        if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey.replace(/[^\x20-\x7e]/g, '');
        const query = new URLSearchParams(r.query).toString();
        const withBody = r.method !== 'GET' && r.method !== 'OPTIONS';
        const response = await suite.api.app.inject({
          method: r.method as 'GET',
          url: `${r.path}${query ? `?${query}` : ''}`,
          headers,
          ...(withBody ? { payload: r.body } : {}),
        });
        expect(response.statusCode, `${r.method} ${r.path}: ${response.body.slice(0, 300)}`).to.be.below(500);
        if (response.statusCode >= 400) expect(response.headers['content-type']).to.match(/^application\/problem\+json/);
      }),
      { numRuns: 150 },
    );
    expect((await suite.api.app.inject({ url: '/api/health/live' })).statusCode).to.equal(200);
  });
});
