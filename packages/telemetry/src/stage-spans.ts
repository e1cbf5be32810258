import { context, trace, type Attributes, type Span } from '@opentelemetry/api';
import { tracer } from './spans.js';

/**
 * Spans for work done where no tracer runs (a compute thread): the thread reports when each
 * stage began, and each report ends the previous stage's span and starts the next one, with the
 * thread's own timestamps, as children of the span active when this was made.
 */
export class StageSpans {
  private readonly parent = context.active();
  private current: Span | undefined;

  constructor(private readonly attributes: Attributes = {}) {}

  /** A stage began at `at` (ms since the epoch); `name` is the span's (e.g. `clustering.features`). */
  begin(name: string, at: number): void {
    this.end(at);
    this.current = tracer().startSpan(name, { startTime: at, attributes: this.attributes }, this.parent);
  }

  /** The last stage ended at `at`; `success` false marks it failed. */
  end(at: number, success = true): void {
    if (!this.current) return;
    this.current.setAttribute('operation.success', success);
    this.current.end(at);
    this.current = undefined;
  }
}

/** True when a span is being recorded (so callers can skip work only a span would use). */
export function recording(): boolean {
  return trace.getActiveSpan()?.isRecording() ?? false;
}
