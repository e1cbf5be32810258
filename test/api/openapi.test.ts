import { expect } from 'chai';
import { METHODS } from '@insights/core';
import { ApiEnv, bearer, problemOf, submitCsv, type TestApi } from './helpers.js';

interface Parameter {
  name: string;
  in: string;
  schema: Record<string, unknown>;
}

describe('api: OpenAPI document', function () {
  this.timeout(30_000);
  const env = new ApiEnv();
  let api: TestApi;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let document: any;
  before(async () => {
    await env.setUp();
    api = await env.api();
    const response = await api.app.inject({ url: '/api/docs/openapi.json' });
    expect(response.headers['content-type']).to.match(/^application\/json/);
    document = response.json();
  });
  after(() => env.tearDown());

  it('describes every route with its answers', () => {
    expect(document.openapi).to.equal('3.1.0');
    expect(Object.keys(document.paths)).to.have.members([
      '/api/v1/jobs/clustering',
      '/api/v1/jobs/team-formation',
      '/api/v1/jobs',
      '/api/v1/jobs/{id}',
      '/api/v1/jobs/{id}/result',
      '/api/v1/jobs/{id}/report',
      '/api/health',
      '/api/health/live',
      '/api/health/ready',
      '/api/docs/openapi.json',
    ]);
    const submit = document.paths['/api/v1/jobs/clustering'].post;
    expect(Object.keys(submit.responses)).to.include.members(['202', '400', '401', '413', '415', '422', '429', '503']);
    expect(Object.keys(submit.requestBody.content)).to.have.members(['text/csv', 'application/json']);
    expect(document.components.schemas.Problem.properties.code.enum).to.include.members(['UNAUTHORIZED', 'TOO_MANY_EMPLOYEES', 'RATE_LIMITED']);
  });

  it('is generated from the schemas that validate: documented parameters are accepted, others refused', async () => {
    const parameters = document.paths['/api/v1/jobs/team-formation'].post.parameters as Parameter[];
    const query = parameters.filter((p) => p.in === 'query').map((p) => p.name);
    expect(query).to.have.members([
      'method',
      'clusters',
      'seed',
      'stability_runs',
      'n_init',
      'skip_invalid',
      'teams',
      'team_size',
      'spread_by',
      'moves_per_person',
      'clustering_job_id',
    ]);
    expect(parameters.find((p) => p.name === 'method')!.schema.enum).to.deep.equal([...METHODS]);
    const token = await env.token('docs');
    const csv = ['employee_id,red_energy,blue_energy,green_energy,yellow_energy', ...Array.from({ length: 12 }, (_, i) => `p${i},${10 + i},20,30,40`)].join(
      '\n',
    );
    const accepted = await submitCsv(api.app, token, 'team-formation', csv, {
      method: 'kmeans',
      clusters: '2',
      seed: '3',
      stability_runs: '0',
      n_init: '2',
      skip_invalid: 'true',
      team_size: '3-4',
      moves_per_person: '10',
    });
    expect(accepted.statusCode, accepted.body).to.equal(202);
    const unknown = await submitCsv(api.app, token, 'team-formation', csv, { teams: '2', undocumented: '1' });
    expect(problemOf(unknown).errors).to.deep.equal(['query: unknown parameter undocumented']);
    const list = (document.paths['/api/v1/jobs'].get.parameters as Parameter[]).map((p) => p.name);
    expect(list).to.have.members(['state', 'limit', 'cursor']);
    expect((await api.app.inject({ url: '/api/v1/jobs?state=completed&limit=5', headers: bearer(token) })).statusCode).to.equal(200);
  });

  it('names every operation, declares its headers, and types results, progress and summary in full', () => {
    const operations = Object.values(document.paths as Record<string, Record<string, { operationId?: string; tags?: string[]; description?: string }>>).flatMap(
      (path) => Object.values(path),
    );
    const ids = operations.map((operation) => operation.operationId);
    expect(ids.every((id) => typeof id === 'string')).to.equal(true);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(operations.every((operation) => operation.tags?.length === 1 && typeof operation.description === 'string')).to.equal(true);
    expect(document.info.license).to.deep.equal({ name: 'MIT', identifier: 'MIT' });
    expect(document.paths['/api/v1/jobs/{id}/result'].get.responses['200'].content['application/json'].schema).to.deep.equal({
      $ref: '#/components/schemas/JobResult',
    });
    expect(document.components.schemas.JobResult.oneOf).to.deep.equal([
      { $ref: '#/components/schemas/ClusteringResult' },
      { $ref: '#/components/schemas/TeamFormationResult' },
    ]);
    expect(document.components.schemas.TeamFormationResult.required).to.include.members(['teams', 'assignments', 'score']);
    expect(document.components.schemas.JobView.properties.progress.anyOf[0].properties.stage.enum).to.include('clustering');
    expect(document.components.schemas.JobView.properties.summary.anyOf[0].required).to.include.members(['kind', 'method', 'quality']);
    expect(document.components.schemas.JobList.properties.items.items.properties.kind.enum).to.deep.equal(['clustering', 'team-formation']);
    const submit = document.paths['/api/v1/jobs/clustering'].post.responses;
    expect(Object.keys(submit['202'].headers)).to.include('Location');
    expect(Object.keys(submit['429'].headers)).to.include('Retry-After');
    expect(Object.keys(submit['401'].headers)).to.include('WWW-Authenticate');
  });

  it('documents one query style: integers as integers, flags as booleans, team_size as MIN-MAX only', () => {
    const schemaOf = (path: string, name: string) =>
      (document.paths[path][path.endsWith('report') ? 'get' : 'post'].parameters as Parameter[]).find((p) => p.name === name)!.schema;
    expect(schemaOf('/api/v1/jobs/team-formation', 'seed')).to.deep.equal({ type: 'integer', minimum: 0, maximum: 4294967295 });
    expect(schemaOf('/api/v1/jobs/team-formation', 'skip_invalid')).to.deep.equal({ type: 'boolean' });
    expect(schemaOf('/api/v1/jobs/{id}/report', 'anonymise')).to.deep.equal({ type: 'boolean' });
    expect(schemaOf('/api/v1/jobs/team-formation', 'team_size')).to.include({ type: 'string' });
  });
});
