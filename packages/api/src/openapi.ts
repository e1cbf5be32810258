import { z } from 'zod';
import { ClusteringResultSchema, TeamFormationResultSchema } from '@insights/jobs';
import { Problem } from './problem.js';
import { ReportQuery } from './routes/report.js';
import {
  Accepted,
  ClusteringBody,
  ClusteringQuery,
  Deleted,
  DOCUMENTED,
  Health,
  JobList,
  JobView,
  ListQuery,
  TeamFormationBody,
  TeamFormationQuery,
} from './schemas.js';

type JsonSchema = Record<string, unknown>;

/** A schema as JSON Schema 2020-12 (what OpenAPI 3.1 uses), as a request (`input`) or an answer (`output`). */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    // A value a query string may also carry as text is documented as the one type a client sends.
    override: ({ zodSchema, jsonSchema }) => {
      const said = DOCUMENTED.get(zodSchema);
      if (!said) return;
      for (const key of Object.keys(jsonSchema)) if (key !== 'description') delete jsonSchema[key];
      Object.assign(jsonSchema, said);
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** Query parameters of an object schema, one per field, with its description. */
function queryParameters(schema: z.ZodObject): JsonSchema[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const json = schemaOf(field as z.ZodType, 'input');
    const { description, ...rest } = json;
    return { name, in: 'query', required: false, description, schema: rest };
  });
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const header = (name: string) => ({ $ref: `#/components/headers/${name}` });
const json = (name: string) => ({ 'application/json': { schema: ref(name) } });

/** Headers on every answer of `/api/v1` past authentication: the request id and the organisation's rate limit. */
const v1Headers = {
  'X-Request-Id': header('XRequestId'),
  'Cache-Control': header('CacheControl'),
  'X-RateLimit-Limit': header('RateLimitLimit'),
  'X-RateLimit-Remaining': header('RateLimitRemaining'),
  'X-RateLimit-Reset': header('RateLimitReset'),
};
const problem = (description: string, headers: JsonSchema = v1Headers) => ({
  description,
  headers,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});
const ok = (description: string, content: JsonSchema, headers: JsonSchema = v1Headers) => ({ description, headers, content });
const idParameter = { name: 'id', in: 'path', required: true, description: 'the job id a submission answered', schema: { type: 'string', maxLength: 200 } };
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'repeat a submission safely: the same key (per organisation, for 24 hours) answers the same job; another request with it is refused (422)',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};
const common = {
  '401': {
    description: 'no token, or an unknown or revoked one (UNAUTHORIZED); a client refused too often is answered 429 with Retry-After',
    headers: { 'X-Request-Id': header('XRequestId'), 'WWW-Authenticate': header('WWWAuthenticate') },
    content: { 'application/problem+json': { schema: ref('Problem') } },
  },
  '429': problem('too many requests from this organisation this minute (RATE_LIMITED), or too many refused tokens from this client', {
    ...v1Headers,
    'Retry-After': header('RetryAfter'),
  }),
  '503': problem('Redis or PostgreSQL cannot be reached (UNAVAILABLE)', {
    'X-Request-Id': header('XRequestId'),
    'Cache-Control': header('CacheControl'),
    'Retry-After': header('RetryAfter'),
  }),
};
/** Public routes read nothing from a request, but a request the server cannot read at all is still refused. */
const unreadable = {
  '4XX': problem('a request the server cannot read (a malformed URL or header): INVALID_REQUEST, NOT_FOUND', { 'X-Request-Id': header('XRequestId') }),
};
const notFound = problem('no such job for this organisation (NOT_FOUND): another organisation’s job looks exactly like none');

function submission(operationId: string, summary: string, description: string, query: z.ZodObject, body: string): JsonSchema {
  return {
    operationId,
    tags: ['jobs'],
    summary,
    description,
    parameters: [...queryParameters(query), idempotencyKey],
    requestBody: {
      required: true,
      content: {
        'text/csv': {
          schema: {
            type: 'string',
            description:
              'header employee_id,red_energy,blue_energy,green_energy,yellow_energy (any order, other columns kept as metadata); options in the query string',
          },
        },
        'application/json': { schema: ref(body) },
      },
    },
    responses: {
      '202': { description: 'accepted: the job is queued', headers: { ...v1Headers, Location: header('Location') }, content: json('Accepted') },
      '400': problem('malformed request: every problem listed, each naming its field (INVALID_REQUEST)'),
      '413': problem('body over INSIGHTS_MAX_BODY_MB (PAYLOAD_TOO_LARGE), or more people than INSIGHTS_MAX_EMPLOYEES (TOO_MANY_EMPLOYEES)'),
      '415': problem('neither text/csv nor application/json (UNSUPPORTED_MEDIA_TYPE)'),
      '422': problem(
        'invalid data (INVALID_INPUT, every problem as `line N, column NAME: reason`), invalid options (INVALID_OPTIONS), or an Idempotency-Key reused with another request (IDEMPOTENCY_KEY_REUSED)',
      ),
      ...common,
    },
  };
}

const health = (operationId: string, summary: string, description: string, unhealthy: string) => ({
  get: {
    operationId,
    tags: ['health'],
    summary,
    description,
    security: [],
    responses: {
      '200': ok('healthy or degraded', json('Health'), { 'X-Request-Id': header('XRequestId') }),
      '503': ok(unhealthy, json('Health'), { 'X-Request-Id': header('XRequestId'), 'Retry-After': header('RetryAfter') }),
      ...unreadable,
    },
  },
});

const headers = {
  XRequestId: {
    required: true,
    description:
      'the request id: the caller’s X-Request-Id when it is a plain token (1–64 of A-Z a-z 0-9 . _ -), else a fresh UUID; quote it when reporting a problem',
    schema: { type: 'string' },
  },
  CacheControl: {
    required: true,
    description: 'answers of /api/v1 hold an organisation’s data (results name people): never cached by a shared cache, never stored',
    schema: { const: 'private, no-store' },
  },
  ETag: {
    required: true,
    description: 'a strong validator of the stored result (it never changes): send it back as If-None-Match',
    schema: { type: 'string', pattern: '^"[A-Za-z0-9_-]+"$' },
  },
  Location: { required: true, description: 'the accepted job, as links.self', schema: { type: 'string' } },
  RetryAfter: { required: true, description: 'seconds to wait before trying again', schema: { type: 'string', pattern: '^[0-9]+$' } },
  WWWAuthenticate: {
    required: true,
    description: 'the bearer challenge (RFC 6750), with error="invalid_token" for an unknown or revoked token',
    schema: { type: 'string' },
  },
  RateLimitLimit: {
    description: 'requests this organisation may make a minute (INSIGHTS_RATE_LIMIT_PER_MINUTE)',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  RateLimitRemaining: { description: 'requests left in this minute', schema: { type: 'string', pattern: '^[0-9]+$' } },
  RateLimitReset: { description: 'seconds until the minute ends', schema: { type: 'string', pattern: '^[0-9]+$' } },
};

/** The OpenAPI 3.1 document of the API, generated from the schemas that validate its requests and describe what the worker stores. */
export function openApiDocument(): JsonSchema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Observer Coordinator Insights API',
      version: '1.0.0',
      description:
        'Submit clustering and team-formation jobs on Insights Discovery profiles; read their state and results. Errors are RFC 9457 problem documents with a stable `code` (docs/errors.md). A documented path asked with a method it does not have answers 405 METHOD_NOT_ALLOWED with `Allow`. CORS is deliberately absent: the API serves back-end clients, not browsers on other origins (no Access-Control-* header is ever sent).',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'the host that serves this document (INSIGHTS_API_PORT, 8000 by default)' }],
    tags: [
      { name: 'jobs', description: 'submit, read, list, cancel and delete jobs of the token’s organisation' },
      { name: 'health', description: 'health of the API and the services it needs (no token)' },
      { name: 'docs', description: 'this document (no token)' },
    ],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'a token made by `insights token create --org NAME`' } },
      headers,
      schemas: {
        Problem: schemaOf(Problem, 'output'),
        ClusteringBody: schemaOf(ClusteringBody, 'input'),
        TeamFormationBody: schemaOf(TeamFormationBody, 'input'),
        Accepted: schemaOf(Accepted, 'output'),
        JobView: schemaOf(JobView, 'output'),
        JobList: schemaOf(JobList, 'output'),
        Deleted: schemaOf(Deleted, 'output'),
        Health: schemaOf(Health, 'output'),
        ClusteringResult: {
          ...schemaOf(ClusteringResultSchema, 'output'),
          description: 'a clustering job’s result: what `insights cluster --format json` prints',
        },
        TeamFormationResult: {
          ...schemaOf(TeamFormationResultSchema, 'output'),
          description: 'a team-formation job’s result: the clustering it built on, and the teams (`insights teams --format json`)',
        },
        JobResult: {
          description: 'the result of a job: a team-formation result is told apart by its `teams` (each variant allows no other field)',
          oneOf: [ref('ClusteringResult'), ref('TeamFormationResult')],
        },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/jobs/clustering': {
        post: submission(
          'submitClustering',
          'Submit a clustering job',
          'Clusters the people with the method asked for; the job’s result is a ClusteringResult.',
          ClusteringQuery,
          'ClusteringBody',
        ),
      },
      '/api/v1/jobs/team-formation': {
        post: submission(
          'submitTeamFormation',
          'Submit a team formation',
          'Clusters first, then forms teams, unless clustering_job_id names a finished clustering job of this organisation on the same data set; the job’s result is a TeamFormationResult. Team sizes that cannot fit the people, a spread_by naming no column and a clustering_job_id that is not a finished clustering job of this organisation on these people are refused 422 before the job is accepted.',
          TeamFormationQuery,
          'TeamFormationBody',
        ),
      },
      '/api/v1/jobs': {
        get: {
          operationId: 'listJobs',
          tags: ['jobs'],
          summary: 'List jobs',
          description: 'This organisation’s jobs, newest first, a page at a time.',
          parameters: queryParameters(ListQuery),
          responses: { '200': ok('a page of jobs', json('JobList')), '400': problem('bad parameter (INVALID_REQUEST)'), ...common },
        },
      },
      '/api/v1/jobs/{id}': {
        get: {
          operationId: 'getJob',
          tags: ['jobs'],
          summary: 'Read a job',
          description: 'State, progress, attempts, failure reason and summary of a job.',
          parameters: [idParameter],
          responses: { '200': ok('the job', json('JobView')), '404': notFound, ...common },
        },
        delete: {
          operationId: 'deleteJob',
          tags: ['jobs'],
          summary: 'Cancel or delete a job',
          description: 'Cancels a job that has not started, or deletes a finished job with its result and (unless another job shares it) its data set.',
          parameters: [idParameter],
          responses: {
            '200': ok('cancelled or deleted', json('Deleted')),
            '404': notFound,
            '409': problem('the job is running (NOT_CANCELLABLE)'),
            ...common,
          },
        },
      },
      '/api/v1/jobs/{id}/result': {
        get: {
          operationId: 'getJobResult',
          tags: ['jobs'],
          summary: 'Read a job’s result',
          description:
            'The stored result: the JSON `insights cluster` / `insights teams` print. It names people: answered with Cache-Control: private, no-store.',
          parameters: [
            idParameter,
            {
              name: 'If-None-Match',
              in: 'header',
              required: false,
              description: 'the ETag of a copy the client holds: 304 when it is still the result',
              schema: { type: 'string' },
            },
          ],
          responses: {
            '200': ok('the result', json('JobResult'), { ...v1Headers, ETag: header('ETag') }),
            '304': { description: 'the copy named by If-None-Match is the result', headers: { ...v1Headers, ETag: header('ETag') } },
            '404': notFound,
            '409': problem(
              'no result yet, the job is waiting or running (RESULT_NOT_READY: retry later); or the job failed (FAILED_JOB, its failure code in errors: it will never have a result)',
            ),
            ...common,
          },
        },
      },
      '/api/v1/jobs/{id}/report': {
        get: {
          operationId: 'getJobReport',
          tags: ['jobs'],
          summary: 'Read a job’s result as an HTML report',
          description:
            'The stored result as a self-contained HTML report: the Insights wheel with a mark per person, cluster and team cards, quality readings.',
          parameters: [idParameter, ...queryParameters(ReportQuery)],
          responses: {
            '200': {
              description:
                'the report (nothing fetched, no script but its own hashed one; sent with a Content-Security-Policy and Cache-Control: private, no-store)',
              headers: v1Headers,
              content: { 'text/html': { schema: { type: 'string' } } },
            },
            '400': problem('bad parameter, or view=teams for a clustering job (INVALID_REQUEST)'),
            '404': notFound,
            '409': problem('no result yet, the job is waiting or running (RESULT_NOT_READY); or it failed (FAILED_JOB)'),
            ...common,
          },
        },
      },
      '/api/health': health('getHealth', 'Health', 'Health of database, redis, clustering and disk space.', 'unhealthy'),
      '/api/health/live': {
        get: {
          operationId: 'getLiveness',
          tags: ['health'],
          summary: 'Liveness',
          description: 'The process is up.',
          security: [],
          responses: {
            '200': ok(
              'alive',
              {
                'application/json': {
                  schema: { type: 'object', properties: { status: { const: 'alive' } }, required: ['status'], additionalProperties: false },
                },
              },
              { 'X-Request-Id': header('XRequestId') },
            ),
            ...unreadable,
          },
        },
      },
      '/api/health/ready': health(
        'getReadiness',
        'Readiness',
        'Database and Redis reachable, and the API not shutting down.',
        'not ready (or draining: `draining: true`)',
      ),
      '/api/docs/openapi.json': {
        get: {
          operationId: 'getOpenApiDocument',
          tags: ['docs'],
          summary: 'This document',
          description: 'The OpenAPI 3.1 document of the API, generated from the schemas that validate requests.',
          security: [],
          responses: {
            '200': ok(
              'OpenAPI 3.1',
              {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { openapi: { const: '3.1.0' }, info: { type: 'object' }, paths: { type: 'object' } },
                    required: ['openapi', 'info', 'paths'],
                  },
                },
              },
              { 'X-Request-Id': header('XRequestId') },
            ),
            ...unreadable,
          },
        },
      },
    },
  };
}
