import type { ClusteringResult } from '@insights/core';
import { UsageError } from '../errors.js';
import { readInput } from '../read-input.js';

/** An earlier clustering result (`insights cluster --format json`) to follow with `--previous`. */
export async function readPrevious(file: string): Promise<ClusteringResult> {
  const text = await readInput(file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--previous ${file}: not JSON (expected the output of insights cluster --format json)`, { cause: error });
  }
  const result = parsed as Partial<ClusteringResult> | null;
  if (!result || !Array.isArray(result.clusters) || !Array.isArray(result.assignments)) {
    throw new UsageError(`--previous ${file}: not a clustering result (expected "clusters" and "assignments")`);
  }
  return result as ClusteringResult;
}
