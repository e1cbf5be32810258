import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { API_ERRORS, FAULT_STATUS } from '@insights/api';
import { CORE_FAULTS } from '@insights/core';
import { FAULTS, type Fault } from '@insights/errors';
import { JOB_FAULTS } from '@insights/jobs';
import { PRODUCER_FAULTS } from '@insights/producer';
import { RESPONDER_ERRORS, RESPONDER_FAULT_STATUS } from '@insights/responder';
import { STORE_FAULTS } from '@insights/store';
import { TelemetryConfigError } from '@insights/telemetry';
import { ConfigError } from '@insights/worker';
import { EXIT_STATUS, JobFailedError, UsageError, WaitTimeoutError } from '../packages/cli/src/errors.js';
import { RETRY } from '../packages/worker/src/retry-table.js';

const documented = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

/** The text of the `## ` section whose heading starts with `title`. */
function section(title: string): string {
  const start = documented.indexOf(`\n## ${title}`);
  if (start < 0) throw new Error(`docs/errors.md has no section "${title}"`);
  const end = documented.indexOf('\n## ', start + 1);
  return documented.slice(start, end < 0 ? undefined : end);
}

/** The cells of the table row of `key` in a section (without the key cell). */
function row(text: string, key: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`| \`${key}\` |`));
  if (!line) throw new Error(`no row for ${key}`);
  return line
    .split('|')
    .slice(2, -1)
    .map((cell) => cell.trim());
}

/** What a job's failure does in the worker, as the jobs table words it. */
const RETRIED: Record<'retry' | 'unrecoverable', RegExp> = { retry: /^yes/, unrecoverable: /^no/ };

/** Each catalogue: the section that documents it, each code's fault, and what else its rows must say. */
const catalogues: { title: string; faults: Readonly<Record<string, Fault>>; check?: (cells: string[], code: string, fault: Fault) => void }[] = [
  { title: '`@insights/core`', faults: CORE_FAULTS, check: (cells, _code, fault) => expect(cells.at(-1)).to.equal(String(EXIT_STATUS[fault])) },
  {
    title: '`insights` command',
    faults: { USAGE: new UsageError('').fault, JOB_FAILED: new JobFailedError('').fault, WAIT_TIMEOUT: new WaitTimeoutError('').fault },
    check: (cells, _code, fault) => expect(cells.at(-1)).to.equal(String(EXIT_STATUS[fault])),
  },
  { title: 'Jobs', faults: JOB_FAULTS, check: (cells, _code, fault) => expect(cells.at(-1)).to.match(RETRIED[RETRY[fault]]) },
  { title: 'PostgreSQL store', faults: STORE_FAULTS },
  { title: 'Producer client', faults: PRODUCER_FAULTS },
  { title: 'Services', faults: { INVALID_CONFIG: new ConfigError([]).fault } },
  {
    title: 'HTTP API',
    faults: Object.fromEntries(Object.entries(API_ERRORS).map(([code, { fault }]) => [code, fault])),
    check: (cells, code) => expect(cells[1]).to.equal(String(API_ERRORS[code as keyof typeof API_ERRORS].status)),
  },
  {
    title: 'Alert responder',
    faults: Object.fromEntries(Object.entries(RESPONDER_ERRORS).map(([code, { fault }]) => [code, fault])),
    check: (cells, code) => expect(cells[1]).to.equal(String(RESPONDER_ERRORS[code as keyof typeof RESPONDER_ERRORS].status)),
  },
];

describe('error catalogue', () => {
  for (const { title, faults, check } of catalogues) {
    for (const [code, fault] of Object.entries(faults)) {
      it(`documents ${code} (${title}) in docs/errors.md with its fault, ${fault}`, () => {
        const cells = row(section(title), code);
        expect(cells[0], 'the fault column').to.equal(`\`${fault}\``);
        check?.(cells, code, fault);
      });
    }
  }

  it('gives a code the same fault in every catalogue that has it (OUT_OF_MEMORY, NOT_FOUND, INTERNAL …)', () => {
    const seen = new Map<string, { fault: Fault; where: string }>();
    for (const { title, faults } of catalogues) {
      for (const [code, fault] of Object.entries(faults)) {
        const before = seen.get(code);
        if (before) expect(fault, `${code}: ${before.where} says ${before.fault}, ${title} says ${fault}`).to.equal(before.fault);
        else seen.set(code, { fault, where: title });
      }
    }
  });

  it('derives every HTTP status from the fault: the caller a 4xx, ours 500, transient 503', () => {
    for (const [code, { fault, status }] of Object.entries(API_ERRORS)) {
      if (fault === 'caller') expect(status, code).to.be.within(400, 499);
      else expect(status, code).to.equal(FAULT_STATUS[fault]);
    }
    for (const [code, { fault, status }] of Object.entries(RESPONDER_ERRORS)) {
      if (fault === 'caller') expect(status, code).to.be.within(400, 499);
      else expect(status, code).to.equal(RESPONDER_FAULT_STATUS[fault]);
    }
  });

  it('shows each surface table as the code has it', () => {
    const table = section('Whose fault');
    for (const fault of FAULTS) {
      const [, api, responder, exit, worker] = row(table, fault);
      expect(api, `${fault}: HTTP API`).to.equal(fault === 'caller' ? "the code's own 4xx" : String(FAULT_STATUS[fault]));
      expect(responder, `${fault}: responder`).to.equal(fault === 'caller' ? "the code's own 4xx" : String(RESPONDER_FAULT_STATUS[fault]));
      expect(exit, `${fault}: exit status`).to.equal(String(EXIT_STATUS[fault]));
      expect(worker, `${fault}: worker`).to.match(RETRY[fault] === 'unrecoverable' ? /^unrecoverable/ : /^retried/);
    }
  });

  it('gives OpenTelemetry configuration errors the same code and fault as every other configuration error', () => {
    const error = new TelemetryConfigError([]);
    expect(error.code).to.equal(new ConfigError([]).code);
    expect(error.fault).to.equal(new ConfigError([]).fault);
  });
});
