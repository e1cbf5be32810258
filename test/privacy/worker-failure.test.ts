import { expect } from 'chai';
import { QUEUES } from '@insights/jobs';
import type { ProfileSet } from '@insights/core';
import { FleetEnv } from '../helpers/fleet.js';
import type { FleetWorker } from '../helpers/fleet-worker.js';

/** A profile set as a reader would never build it now: a NUL in an id and in a metadata value, which PostgreSQL's jsonb refuses. */
function setWithNul(n: number): ProfileSet {
  const ids = Array.from({ length: n }, (_, i) => (i === 3 ? 'nul-qx9-\u0000-003' : `nul-qx9-${String(i).padStart(3, '0')}`));
  const energies = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) energies.set(i % 2 === 0 ? [70, 10, 10, 10] : [10, 10, 10, 70], 4 * i);
  const notes = ids.map((_, i) => (i === 5 ? 'secret-qx9-note\u0000x' : `secret-qx9-note-${i}`));
  return { ids, energies, lines: Int32Array.from(ids, (_, i) => i + 2), lineUnit: 'line', metadata: { note: notes }, skipped: [] };
}

/**
 * A result PostgreSQL refuses (here: a NUL the API no longer lets in, stored behind its back)
 * fails the job at once with a code, and neither the worker's log line nor the stored failure
 * reason quotes the data around it.
 */
describe('privacy: a result PostgreSQL refuses', function () {
  this.timeout(60_000);
  const fleet = new FleetEnv();
  let worker: FleetWorker;

  before(async () => {
    await fleet.setUp();
    worker = await fleet.startWorker();
  });
  after(async () => {
    await worker.stop();
    await fleet.tearDown();
  });

  it('fails the job as INVALID_INPUT on its first attempt and logs no personal value', async () => {
    const recorder = await fleet.record(QUEUES.clustering);
    const { id } = await fleet.client.submitClustering('nul-org', { profiles: setWithNul(12) }, { method: 'kmeans', clusters: 2 });
    expect((await recorder.outcome(id)).event).to.equal('failed');
    const job = await fleet.queue(QUEUES.clustering).getJob(id);
    expect(job!.attemptsMade).to.equal(1);
    expect(job!.failedReason).to.match(/^INVALID_INPUT: /);
    const line = await worker.waitForMessage('job failed', id);
    expect(line.code).to.equal('INVALID_INPUT');
    const hay = JSON.stringify(worker.logs) + worker.stderr + job!.failedReason;
    expect(hay).to.include(id);
    expect(hay).not.to.match(/nul-qx9|secret-qx9/);
  });
});
