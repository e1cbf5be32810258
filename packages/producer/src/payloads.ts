import { context, propagation } from '@opentelemetry/api';
import type { ClusteringOptionsInput, ProfileSet } from '@insights/core';
import type { JobPayloadInput, TraceContext } from '@insights/jobs';
import type { DatasetContent } from '@insights/store';

/** The clustering options a job carries: the top-level ones, and method parameters nested. */
export function jobOptions(options: ClusteringOptionsInput): JobPayloadInput<'clustering'>['options'] {
  const { method, clusters, seed, stabilityRuns, nInit, ...parameters } = options;
  const out: JobPayloadInput<'clustering'>['options'] = { method, clusters, seed, stabilityRuns, nInit };
  if (Object.keys(parameters).length > 0) out.parameters = parameters;
  for (const key of Object.keys(out) as (keyof typeof out)[]) if (out[key] === undefined) delete out[key];
  return out;
}

/**
 * The W3C trace context of the active span (an API request's, say), so that the worker continues
 * the caller's trace; undefined when no span is active or tracing is off.
 */
export function activeTraceContext(): TraceContext | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  if (!carrier.traceparent) return undefined;
  return carrier.tracestate ? { traceparent: carrier.traceparent, tracestate: carrier.tracestate } : { traceparent: carrier.traceparent };
}

/** A profile set as stored. */
export function contentOf(profiles: ProfileSet): DatasetContent {
  return {
    ids: [...profiles.ids],
    energies: Array.from(profiles.energies),
    lines: Array.from(profiles.lines),
    lineUnit: profiles.lineUnit,
    metadata: Object.fromEntries(Object.entries(profiles.metadata).map(([k, v]) => [k, [...v]])),
    skipped: profiles.skipped.map((s) => ({ ...s, reasons: [...s.reasons] })),
  };
}
