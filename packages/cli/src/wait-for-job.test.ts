import { expect } from 'chai';
import type { JobStatus } from '@insights/producer';
import { WaitTimeoutError } from './errors.js';
import { JobFailure, progressView, waitForJob, type ProgressView } from './wait-for-job.js';

/** A stream that records what is written, as a terminal or not. */
function stream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const out = {
    isTTY,
    text: '',
    write(chunk: string) {
      out.text += chunk;
      return true;
    },
  };
  return out as unknown as NodeJS.WriteStream & { text: string };
}

function status(state: string, progress: unknown, attempts = 0, failedReason: string | null = null): JobStatus {
  return { id: 'j1', queue: 'clustering', state, progress, attempts, failedReason, summary: null };
}

/** A view that records its calls. */
function recorder(): ProgressView & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    update: (s) => calls.push(`update ${s.state} ${s.stage ?? ''} ${s.percent ?? ''}`.trim()),
    warn: (m) => calls.push(`warn ${m}`),
    end: () => calls.push('end'),
  };
}

describe('progressView', () => {
  it('redraws one line with the stage and a bar on a terminal, and ends it with a newline', () => {
    const out = stream(true);
    const view = progressView('j1', out);
    view.update({ state: 'active', stage: 'clustering', percent: 50 });
    view.update({ state: 'completed', stage: 'saving', percent: 83 });
    view.end();
    const frames = out.text.split('\r\x1b[2K').slice(1);
    expect(frames[0]).to.equal(`job j1  active    clustering [${'#'.repeat(12)}${'-'.repeat(12)}]  50%`);
    expect(frames[1]).to.equal(`job j1  completed saving     [${'#'.repeat(24)}] 100%\n`);
  });

  it('writes one plain line per change elsewhere', () => {
    const out = stream(false);
    const view = progressView('j1', out);
    view.update({ state: 'waiting', percent: 0 });
    view.update({ state: 'active', stage: 'features', percent: 17 });
    view.warn('something');
    view.end();
    expect(out.text).to.equal('job j1: waiting (0%)\njob j1: active, stage features (17%)\nwarning: something\n');
  });
});

describe('waitForJob', () => {
  it('shows each change once and returns the completed status', async () => {
    const states = [
      status('waiting', 0),
      status('waiting', 0),
      status('active', { stage: 'features', percent: 17 }),
      status('completed', { stage: 'saving', percent: 83 }),
    ];
    const view = recorder();
    const done = await waitForJob(async () => states.shift()!, 'j1', { timeoutMs: 10_000, warnAfterMs: 10_000, view });
    expect(done.state).to.equal('completed');
    expect(view.calls).to.deep.equal(['update waiting  0', 'update active features 17', 'update completed saving 83', 'end']);
  });

  it('rejects with the failure reason of a failed job', async () => {
    const view = recorder();
    const failed = waitForJob(async () => status('failed', 0, 1, 'INVALID_INPUT: too few rows'), 'j1', { timeoutMs: 10_000, warnAfterMs: 10_000, view });
    await failed.then(
      () => expect.fail('resolved'),
      (error: unknown) => {
        expect(error).to.be.instanceOf(JobFailure);
        expect((error as JobFailure).reason).to.equal('INVALID_INPUT: too few rows');
      },
    );
  });

  it('warns once when no worker has taken the job, never for a retried one, and times out', async () => {
    const view = recorder();
    const waited = waitForJob(async () => status('waiting', 0), 'j1', { timeoutMs: 150, warnAfterMs: 0, view });
    await waited.then(
      () => expect.fail('resolved'),
      (error: unknown) => expect(error).to.be.instanceOf(WaitTimeoutError),
    );
    expect(view.calls.filter((call) => call.startsWith('warn'))).to.have.length(1);
    const retried = recorder();
    await waitForJob(async () => status('delayed', 0, 1), 'j1', { timeoutMs: 50, warnAfterMs: 0, view: retried }).catch(() => undefined);
    expect(retried.calls.filter((call) => call.startsWith('warn'))).to.deep.equal([]);
  });
});
