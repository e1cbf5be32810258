import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import type { ClientOptions } from 'openapi-fetch';
import openapiTS, { astToString } from 'openapi-typescript';
import { pino } from 'pino';
import { startApi, type RunningApi } from '@insights/api';
import { ApiEnv } from '../api/helpers.js';
import { DocumentValidator, type Exchange } from './document-validator.js';
import { MISTYPED_CLIENT, WORKFLOW_CLIENT } from './workflow-client.js';

const run = promisify(execFile);

/** What the generated client's workflow reports (its source declares the same shape). */
interface WorkflowOutcome {
  clusteringId: string;
  repeatedId: string;
  teamsId: string;
  cancelled: string;
  firstAssignment: string;
  teamMembers: number;
  teamsKnowTheirClustering: boolean;
  reportStartsWith: string;
  pages: string[][];
  otherOrganisationStatus: number;
  unauthorisedStatus: number;
  deleted: string;
  afterDeleteStatus: number;
  notModifiedStatus: number;
}
/** The fetch an openapi-fetch client takes: the test's records every answer. */
type Fetcher = NonNullable<ClientOptions['fetch']>;
type Workflow = (
  baseUrl: string,
  token: string,
  otherToken: string,
  csv: string,
  fetcher: Fetcher,
  startWorker: () => Promise<void>,
) => Promise<WorkflowOutcome>;
const ROOT = new URL('../../', import.meta.url).pathname;

/** Compiles the generated client with strict TypeScript; the compiler's output when it refuses. */
async function compile(dir: string, file: string): Promise<string | null> {
  const config = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      skipLibCheck: true,
      lib: ['ES2022', 'DOM'],
      types: [],
    },
    files: [file, 'api.d.ts'],
  };
  await writeFile(join(dir, `tsconfig.${file}.json`), JSON.stringify(config));
  try {
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, `tsconfig.${file}.json`)]);
    return null;
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

describe('contract: a client generated from the served document', function () {
  this.timeout(180_000);
  const env = new ApiEnv();
  let running: RunningApi;
  let base: string;
  let dir: string;
  let validator: DocumentValidator;

  before(async () => {
    await env.setUp();
    running = await startApi(env.listeningConfig(), { log: pino({ level: 'silent' }), audit: pino({ level: 'silent' }) });
    base = `http://127.0.0.1:${running.port}`;
    // Under node_modules, so that the generated client resolves openapi-fetch as any package would.
    dir = await mkdtemp(join(ROOT, 'node_modules/.cache-contract-'));
  });
  after(async () => {
    await running?.stop();
    await env.tearDown();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('generates types that compile into a client, and refuse a field no result has', async () => {
    const served = await fetch(`${base}/api/docs/openapi.json`);
    const document = (await served.json()) as Record<string, unknown>;
    validator = new DocumentValidator(document);
    validator.check({
      method: 'GET',
      path: '/api/docs/openapi.json',
      status: served.status,
      headers: served.headers,
      body: document,
      mediaType: 'application/json',
    });
    await writeFile(join(dir, 'api.d.ts'), astToString(await openapiTS(document as unknown as Parameters<typeof openapiTS>[0])));
    await writeFile(join(dir, 'workflow.ts'), WORKFLOW_CLIENT);
    await writeFile(join(dir, 'mistyped.ts'), MISTYPED_CLIENT);
    await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    expect(await compile(dir, 'workflow.ts')).to.equal(null);
    expect(await compile(dir, 'mistyped.ts')).to.match(/no_such_field/);
  });

  it('runs the documented workflow end to end, every answer matching the document', async () => {
    expect(validator, 'the document is read by the test before').to.not.equal(undefined);
    const acme = await env.token('contract-acme');
    const globex = await env.token('contract-globex');
    const csv = [
      'employee_id,red_energy,blue_energy,green_energy,yellow_energy,site',
      ...Array.from({ length: 10 }, (_, i) => `c${i},${10 + i * 6},20,30,40,${i % 2 ? 'north' : 'south'}`),
    ].join('\n');
    const exchanges: Exchange[] = [];
    const recording: Fetcher = async (request) => {
      const response = await fetch(request);
      const mediaType = (response.headers.get('content-type') ?? '').split(';', 1)[0]!;
      const text = await response.clone().text();
      exchanges.push({
        method: request.method,
        path: new URL(request.url).pathname,
        status: response.status,
        headers: response.headers,
        mediaType,
        body: mediaType.endsWith('json') ? JSON.parse(text) : text,
      });
      return response;
    };
    const { workflow } = (await import(join(dir, 'workflow.ts'))) as { workflow: Workflow };
    const outcome = await workflow(base, acme.token, globex.token, csv, recording, async () => {
      await env.worker();
    });

    for (const exchange of exchanges) validator.check(exchange);
    expect(outcome.cancelled).to.equal('cancelled');
    expect(outcome.repeatedId).to.equal(outcome.clusteringId);
    expect(outcome.firstAssignment).to.match(/^c\d$/);
    expect(outcome.teamMembers).to.equal(12);
    expect(outcome.teamsKnowTheirClustering).to.equal(true);
    expect(outcome.reportStartsWith).to.match(/^<!doctype html>/i);
    // One job a page, newest first, the cancelled one gone, every page reached through next_cursor
    // (the last may be empty: a full page cannot know that nothing follows).
    const pages = outcome.pages.map((page) => page.length);
    expect(pages.slice(0, -1).every((n) => n === 1) && pages.at(-1)! <= 1, JSON.stringify(outcome.pages)).to.equal(true);
    expect(outcome.pages.flat().slice(0, 2)).to.deep.equal([`team-formation:${outcome.teamsId}`, `clustering:${outcome.clusteringId}`]);
    expect([outcome.otherOrganisationStatus, outcome.unauthorisedStatus, outcome.deleted, outcome.afterDeleteStatus, outcome.notModifiedStatus]).to.deep.equal([
      404,
      401,
      'deleted',
      404,
      304,
    ]);
    // Every operation the workflow meant to exercise was answered and checked.
    expect(validator.operationsSeen()).to.include.members([
      'submitClustering',
      'submitTeamFormation',
      'getJob',
      'getJobResult',
      'getJobReport',
      'listJobs',
      'deleteJob',
      'getOpenApiDocument',
    ]);
  });
});
