/** The media type of every error answer (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An error answer: RFC 9457 members plus a stable `code`, the request id and, for validation, every problem. */
export interface ProblemDocument<C extends string = string> {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: C;
  errors?: string[];
  request_id: string;
}

/**
 * The problem document of a code: `type` is `urn:insights:problem:<code>` (lower case, dashes),
 * `errors` only when there are some. Every HTTP surface (the API, the responder) answers with it.
 */
export function problemDocument<C extends string>(
  code: C,
  status: number,
  title: string,
  detail: string,
  requestId: string,
  errors?: readonly string[],
): ProblemDocument<C> {
  const problem: ProblemDocument<C> = {
    type: `urn:insights:problem:${code.toLowerCase().replaceAll('_', '-')}`,
    title,
    status,
    detail,
    code,
    request_id: requestId,
  };
  if (errors && errors.length > 0) problem.errors = [...errors];
  return problem;
}
