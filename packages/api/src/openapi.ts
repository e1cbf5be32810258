import { z } from 'zod';
import { Problem } from './problem.js';
import { ReportQuery } from './routes/report.js';
import {
  Accepted,
  ClusteringBody,
  ClusteringQuery,
  Deleted,
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
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
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

const json = (schema: z.ZodType) => ({ 'application/json': { schema: schemaOf(schema, 'output') } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'repeat a submission safely: the same key (per organisation, for 24 hours) answers the same job; another request with it is refused (422)',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};
const common = {
  '401': problem('no token, or an unknown or revoked one (UNAUTHORIZED)'),
  '429': problem('too many requests from this organisation this minute (RATE_LIMITED); see Retry-After'),
  '503': problem('Redis or PostgreSQL cannot be reached (UNAVAILABLE)'),
};

function submission(summary: string, query: z.ZodObject, body: z.ZodType): JsonSchema {
  return {
    summary,
    parameters: [...queryParameters(query), idempotencyKey],
    requestBody: {
      required: true,
      content: {
        'text/csv': { schema: { type: 'string', description: 'header employee_id,red_energy,blue_energy,green_energy,yellow_energy (any order, other columns kept as metadata); options in the query string' } },
        'application/json': { schema: schemaOf(body, 'input') },
      },
    },
    responses: {
      '202': { description: 'accepted: the job is queued', content: json(Accepted) },
      '400': problem('malformed request: every problem listed (INVALID_REQUEST)'),
      '413': problem('body over INSIGHTS_MAX_BODY_MB (PAYLOAD_TOO_LARGE), or more people than INSIGHTS_MAX_EMPLOYEES (TOO_MANY_EMPLOYEES)'),
      '415': problem('neither text/csv nor application/json (UNSUPPORTED_MEDIA_TYPE)'),
      '422': problem('invalid data (INVALID_INPUT, every problem as `line N, column NAME: reason`), invalid options (INVALID_OPTIONS), or an Idempotency-Key reused with another request (IDEMPOTENCY_KEY_REUSED)'),
      ...common,
    },
  };
}

/** The OpenAPI 3.1 document of the API, generated from the schemas that validate its requests. */
export function openApiDocument(): JsonSchema {
  return {
    openapi: '3.1.0',
    info: { title: 'Observer Coordinator Insights API', version: '1.0.0', description: 'Submit clustering and team-formation jobs on Insights Discovery profiles; read their state and results.' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'a token made by `insights token create --org NAME`' } },
      schemas: { Problem: schemaOf(Problem, 'output') },
    },
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/jobs/clustering': { post: submission('Submit a clustering job', ClusteringQuery, ClusteringBody) },
      '/api/v1/jobs/team-formation': { post: submission('Submit a team formation (clustering first, unless clustering_job_id is given)', TeamFormationQuery, TeamFormationBody) },
      '/api/v1/jobs': {
        get: {
          summary: "This organisation's jobs, newest first",
          parameters: queryParameters(ListQuery),
          responses: { '200': { description: 'a page of jobs', content: json(JobList) }, '400': problem('bad parameter (INVALID_REQUEST)'), ...common },
        },
      },
      '/api/v1/jobs/{id}': {
        get: {
          summary: 'State, progress, attempts, failure reason and summary of a job',
          parameters: [idParameter],
          responses: { '200': { description: 'the job', content: json(JobView) }, '404': problem('no such job for this organisation (NOT_FOUND)'), ...common },
        },
        delete: {
          summary: 'Cancel a job that has not started, or delete a finished job with its result and data set',
          parameters: [idParameter],
          responses: {
            '200': { description: 'cancelled or deleted', content: json(Deleted) },
            '404': problem('no such job for this organisation (NOT_FOUND)'),
            '409': problem('the job is running (NOT_CANCELLABLE)'),
            ...common,
          },
        },
      },
      '/api/v1/jobs/{id}/result': {
        get: {
          summary: 'The stored result: the JSON `insights cluster` / `insights teams` print',
          parameters: [idParameter],
          responses: {
            '200': { description: 'the result', content: { 'application/json': { schema: { type: 'object' } } } },
            '404': problem('no such job for this organisation (NOT_FOUND)'),
            '409': problem('no result yet: waiting, running, failed (RESULT_NOT_READY)'),
            ...common,
          },
        },
      },
      '/api/v1/jobs/{id}/report': {
        get: {
          summary: 'The stored result as a self-contained HTML report: the Insights wheel with a mark per person, cluster and team cards, quality readings',
          parameters: [idParameter, ...queryParameters(ReportQuery)],
          responses: {
            '200': {
              description: 'the report (no scripts, nothing fetched; sent with a Content-Security-Policy and Cache-Control: private, no-store)',
              content: { 'text/html': { schema: { type: 'string' } } },
            },
            '400': problem('bad parameter, or view=teams for a clustering job (INVALID_REQUEST)'),
            '404': problem('no such job for this organisation (NOT_FOUND)'),
            '409': problem('no result yet: waiting, running, failed (RESULT_NOT_READY)'),
            ...common,
          },
        },
      },
      '/api/health': {
        get: {
          summary: 'Health of database, redis, clustering and disk space',
          security: [],
          responses: { '200': { description: 'healthy or degraded', content: json(Health) }, '503': { description: 'unhealthy', content: json(Health) } },
        },
      },
      '/api/health/live': { get: { summary: 'The process is up', security: [], responses: { '200': { description: 'alive' } } } },
      '/api/health/ready': {
        get: {
          summary: 'Database and Redis reachable (and the API not shutting down)',
          security: [],
          responses: { '200': { description: 'ready', content: json(Health) }, '503': { description: 'not ready', content: json(Health) } },
        },
      },
      '/api/docs/openapi.json': { get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1' } } } },
    },
  };
}
