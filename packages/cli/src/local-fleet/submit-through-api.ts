import { setTimeout as delay } from 'node:timers/promises';

/** Where the API listens and who is asking. */
export interface ApiTarget {
  baseUrl: string;
  token: string;
}

/** A problem document the API answered with, as an error. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { code?: string; detail?: string; title?: string; errors?: string[] },
  ) {
    const lines = problem.errors?.length ? `\n  ${problem.errors.join('\n  ')}` : '';
    super(`the API answered ${status} ${problem.code ?? ''}: ${problem.detail ?? problem.title ?? 'no detail'}${lines}`);
    this.name = 'ApiRequestError';
  }
}

/** A data set as the API takes it: CSV text, or JSON (an array of profiles or `{"employees": […]}`). */
export interface ApiDataSet {
  text: string;
  format: 'csv' | 'json';
}

/**
 * Submits a data set as a team-formation job through the HTTP API (clustering first, then
 * teams), waits until it has finished and returns its stored result.
 */
export async function formTeamsThroughApi(target: ApiTarget, data: ApiDataSet, query: Record<string, string>, timeoutMs = 600_000): Promise<unknown> {
  const submitted = (await call(target, `/api/v1/jobs/team-formation?${new URLSearchParams(query)}`, {
    method: 'POST',
    headers: { 'content-type': data.format === 'json' ? 'application/json' : 'text/csv' },
    body: data.text,
  })) as { id: string };
  await waitUntilFinished(target, submitted.id, timeoutMs);
  return call(target, `/api/v1/jobs/${submitted.id}/result`);
}

async function waitUntilFinished(target: ApiTarget, id: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pause = 25;
  for (;;) {
    const job = (await call(target, `/api/v1/jobs/${id}`)) as { state: string; failedReason?: string | null };
    if (job.state === 'completed') return;
    if (job.state === 'failed') throw new Error(`job ${id} failed: ${job.failedReason ?? 'no reason given'}`);
    if (Date.now() > deadline) throw new Error(`job ${id} had not finished after ${timeoutMs / 1000} s (state ${job.state})`);
    await delay(pause);
    pause = Math.min(pause * 2, 250);
  }
}

async function call(target: ApiTarget, path: string, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(`${target.baseUrl}${path}`, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${target.token}` },
  });
  const body = (await response.json()) as unknown;
  if (!response.ok) throw new ApiRequestError(response.status, body as ApiRequestError['problem']);
  return body;
}
