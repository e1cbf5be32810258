import { SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

const TRACER_NAME = '@insights/telemetry';

/**
 * Runs `work` inside a span named `name` (e.g. `clustering.features`), a child of the active
 * span. The span records `operation.success`, and on failure `error.type` and the exception
 * (its class and code only: messages of invalid-input errors may quote the caller's data).
 */
export async function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T> | T, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  return tracer().startActiveSpan(name, { attributes, kind }, async (span) => {
    try {
      const result = await work(span);
      span.setAttribute('operation.success', true);
      return result;
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Sets attributes on the active span, if any (e.g. the job's, once its method is known). */
export function annotateActiveSpan(attributes: Attributes): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}

/**
 * Names the active HTTP server span after its route template (`POST /api/v1/jobs/:id`), as the
 * HTTP semantic conventions ask: the HTTP instrumentation only knows the method.
 */
export function nameRequestSpan(method: string, route: string): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  span.updateName(`${method} ${route}`);
  span.setAttribute('http.route', route);
}

/** The tracer of this project's own spans. */
export function tracer() {
  return trace.getTracer(TRACER_NAME);
}

/** Marks a span failed with the error's type and code, without its message. */
function recordFailure(span: Span, error: unknown): void {
  const type = errorType(error);
  span.setAttribute('operation.success', false);
  span.setAttribute('error.type', type);
  span.recordException({ name: type, message: type });
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
}

/** An error's stable code when it has one (e.g. `INVALID_INPUT`), else its class name. */
export function errorType(error: unknown): string {
  if (error && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,63}$/.test(code)) return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && name.length > 0) return name;
  }
  return 'Error';
}
