import { clusterProfiles, formTeams, InvalidInputError, InvalidOptionsError, type ProfileSet } from '@insights/core';
import type { DatasetContent } from '@insights/store';
import type { ComputeOutcome, ComputeTask, StageReport } from './compute-task.js';

/** A stored data set as the core's profile set. */
function profileSetOf(dataset: DatasetContent): ProfileSet {
  return {
    ids: dataset.ids,
    energies: Float64Array.from(dataset.energies),
    lines: Int32Array.from(dataset.lines),
    lineUnit: dataset.lineUnit,
    metadata: dataset.metadata,
    skipped: dataset.skipped,
  };
}

/**
 * Runs in a worker thread: the CPU-heavy part of a job, off the worker's event loop so that lock
 * renewal and health checks keep working. Refusals of the core come back as data (they are the
 * caller's mistakes, not the thread's); anything else is thrown and fails the task. Each stage is
 * reported with the thread's clock, so that the worker can trace the thread's work.
 */
export default function compute(task: ComputeTask): ComputeOutcome {
  const profiles = profileSetOf(task.dataset);
  const report = (stage: string) => task.progress?.postMessage({ stage, at: performance.timeOrigin + performance.now() } satisfies StageReport);
  const hooks = { now: () => performance.now(), onProgress: report };
  try {
    if (task.kind === 'clustering') return { ok: true, clustering: clusterProfiles(profiles, task.options, hooks) };
    report('teams');
    return { ok: true, teams: formTeams(profiles, task.clusters, task.options) };
  } catch (error) {
    if (error instanceof InvalidInputError) return { ok: false, code: 'INVALID_INPUT', message: error.message };
    if (error instanceof InvalidOptionsError) return { ok: false, code: 'INVALID_OPTIONS', message: error.message };
    throw error;
  } finally {
    report('done');
    task.progress?.close();
  }
}
