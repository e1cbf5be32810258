import type { z } from 'zod';
import { resolveOptions, resolveTeamOptions, type ClusteringOptionsInput, type TeamOptionsInput } from '@insights/core';
import { ApiError } from './errors.js';
import type { CsvUpload } from './upload/csv-upload.js';
import { ClusteringBody, ClusteringQuery, TeamFormationBody, TeamFormationQuery } from './schemas.js';

/** The two kinds of job the API takes. */
export type JobKind = 'clustering' | 'team-formation';

/** A submission read from a request, options validated, data not yet parsed. */
export interface ParsedSubmission {
  kind: JobKind;
  /** The CSV body read and parsed as it arrived, or the JSON body's `employees` array. */
  data: { upload: CsvUpload } | { employees: unknown[] };
  skipInvalid: boolean;
  clustering: ClusteringOptionsInput;
  teams?: TeamOptionsInput;
  clusteringJobId?: string;
  /** Rows submitted, valid or not. */
  rows: number;
}

/** The media type of a Content-Type header, lower case, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/** Problems of a failed zod parse, as `where.path: message`. */
export function issuesOf(error: z.ZodError, where: string): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') return `${where}: unknown parameter${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}`;
    return `${where}${path ? `.${path}` : ''}: ${issue.message}`;
  });
}

/**
 * The query string of a CSV submission, checked.
 *
 * @throws {ApiError} INVALID_REQUEST listing every problem
 */
export function csvQueryOf(kind: JobKind, query: unknown): Record<string, unknown> {
  const parsed = (kind === 'clustering' ? ClusteringQuery : TeamFormationQuery).safeParse(query ?? {});
  if (!parsed.success) throw new ApiError('INVALID_REQUEST', 'the query string is invalid', issuesOf(parsed.error, 'query'));
  return parsed.data;
}

function isCsvUpload(body: unknown): body is CsvUpload {
  return typeof body === 'object' && body !== null && 'profiles' in body && 'fingerprint' in body;
}

/**
 * Reads a submission: CSV body with options in the query string, or a JSON body with the options
 * beside `employees` (query parameters allowed too; the body wins). Every problem of the request's
 * shape is reported at once (400 INVALID_REQUEST), then the core checks the option values (422
 * INVALID_OPTIONS), then the number of rows is held against `maxEmployees` (413).
 */
export function readSubmission(kind: JobKind, contentType: string | undefined, query: unknown, body: unknown, maxEmployees: number): ParsedSubmission {
  const type = mediaType(contentType);
  let fields: Record<string, unknown>;
  let data: ParsedSubmission['data'];
  let rows: number;
  if (type === 'text/csv') {
    fields = csvQueryOf(kind, query);
    if (!isCsvUpload(body)) throw new ApiError('INVALID_REQUEST', 'the CSV body is empty');
    data = { upload: body };
    rows = body.rows;
  } else if (type === 'application/json') {
    const merged = {
      ...((query as object | undefined) ?? {}),
      ...(typeof body === 'object' && body !== null && !Array.isArray(body) ? body : { employees: body }),
    };
    const parsed = (kind === 'clustering' ? ClusteringBody : TeamFormationBody).safeParse(merged);
    if (!parsed.success) throw new ApiError('INVALID_REQUEST', 'the request is invalid', issuesOf(parsed.error, 'body'));
    const { employees, ...rest } = parsed.data;
    fields = rest;
    data = { employees };
    rows = employees.length;
  } else {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'send the data as text/csv or application/json');
  }
  if (rows > maxEmployees) {
    throw new ApiError('TOO_MANY_EMPLOYEES', `${rows} people submitted, but a job may hold at most ${maxEmployees} (INSIGHTS_MAX_EMPLOYEES)`);
  }
  return { kind, data, rows, ...optionsOf(kind, fields) };
}

/** The core's options from the API's snake_case fields, checked by the core (every problem at once). */
function optionsOf(kind: JobKind, f: Record<string, unknown>): Pick<ParsedSubmission, 'skipInvalid' | 'clustering' | 'teams' | 'clusteringJobId'> {
  const clustering = defined({
    method: f.method,
    clusters: f.clusters,
    seed: f.seed,
    stabilityRuns: f.stability_runs,
    nInit: f.n_init,
    ...((f.parameters as Record<string, unknown> | undefined) ?? {}),
  }) as ClusteringOptionsInput;
  resolveOptions(clustering);
  const out: ReturnType<typeof optionsOf> = { skipInvalid: f.skip_invalid === true, clustering };
  if (kind === 'team-formation') {
    const teams = defined({
      teams: f.teams,
      teamSize: f.team_size,
      seed: f.seed,
      spreadBy: f.spread_by,
      movesPerPerson: f.moves_per_person,
      keepApart: f.keep_apart,
      keepTogether: f.keep_together,
    }) as TeamOptionsInput;
    resolveTeamOptions(teams);
    out.teams = teams;
    if (typeof f.clustering_job_id === 'string') out.clusteringJobId = f.clustering_job_id;
  }
  return out;
}

function defined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
