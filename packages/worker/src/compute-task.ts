import type { MessagePort } from 'node:worker_threads';
import type { ClusteringResult, TeamFormationResult } from '@insights/core';
import type { DatasetContent } from '@insights/store';

/** What a compute thread is asked to do. */
export type ComputeTask =
  | {
      kind: 'clustering';
      dataset: DatasetContent;
      options: Record<string, unknown>;
      /** Receives a StageReport as the thread reaches each stage, and `done` at the end. */
      progress?: MessagePort;
    }
  | {
      kind: 'teams';
      dataset: DatasetContent;
      /** Cluster of each person, in the data set's row order. */
      clusters: number[];
      options: Record<string, unknown>;
      progress?: MessagePort;
    };

/** A thread's report that a stage began, with its own clock (ms since the epoch). */
export interface StageReport {
  stage: string;
  at: number;
}

/** What a compute thread answers: a result, or the core's refusal as plain data. */
export type ComputeOutcome =
  { ok: true; clustering?: ClusteringResult; teams?: TeamFormationResult } | { ok: false; code: 'INVALID_INPUT' | 'INVALID_OPTIONS'; message: string };
