import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One OTLP/HTTP export request as the receiver got it. */
export interface Received {
  path: string;
  contentType: string;
  body: Buffer;
}

/**
 * A minimal OTLP/HTTP trace receiver: answers 200 to every POST and hands each request to the
 * waiters, so a test waits for the export it expects instead of sleeping.
 */
/** A span as an OTLP/JSON export carries it, with its resource's service name. */
export interface ExportedSpan {
  service: string;
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, string | number | boolean>;
}

interface JsonAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
}

function attributesOf(list: JsonAttribute[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? [])
    out[key] = value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : undefined) ?? value.doubleValue ?? value.boolValue ?? '';
  return out;
}

/** Every span of the http/json exports received so far. */
function jsonSpans(received: readonly Received[]): ExportedSpan[] {
  const spans: ExportedSpan[] = [];
  for (const request of received) {
    if (!request.contentType.startsWith('application/json')) continue;
    const body = JSON.parse(request.body.toString('utf8')) as {
      resourceSpans: {
        resource: { attributes: JsonAttribute[] };
        scopeSpans: { spans: (Omit<ExportedSpan, 'service' | 'attributes'> & { attributes: JsonAttribute[] })[] }[];
      }[];
    };
    for (const resource of body.resourceSpans) {
      const service = String(attributesOf(resource.resource.attributes)['service.name']);
      for (const scope of resource.scopeSpans) for (const span of scope.spans) spans.push({ ...span, service, attributes: attributesOf(span.attributes) });
    }
  }
  return spans;
}

export class OtlpReceiver {
  readonly received: Received[] = [];
  private readonly waiters = new Set<{ test(r: Received): boolean; resolve(r: Received): void }>();
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const got = { path: request.url ?? '', contentType: String(request.headers['content-type']), body: Buffer.concat(chunks) };
        this.received.push(got);
        for (const waiter of this.waiters) {
          if (!waiter.test(got)) continue;
          this.waiters.delete(waiter);
          waiter.resolve(got);
        }
        response.writeHead(200, { 'content-type': got.contentType }).end(got.contentType.includes('json') ? '{}' : '');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** The first request `test` accepts, already received or to come. */
  waitFor(test: (r: Received) => boolean, timeoutMs = 20_000): Promise<Received> {
    const seen = this.received.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching OTLP export within ${timeoutMs} ms; got ${this.received.length} requests`)), timeoutMs);
      this.waiters.add({ test, resolve: (r) => (clearTimeout(timer), resolve(r)) });
    });
  }

  /** Resolves once the spans received so far pass `test` (checked on each export), failing after `timeoutMs`. */
  async spansWhere(test: (spans: ExportedSpan[]) => boolean, timeoutMs = 20_000): Promise<ExportedSpan[]> {
    await this.waitFor(() => test(jsonSpans(this.received)), timeoutMs).catch((error: Error) => {
      throw new Error(
        `${error.message}; spans so far: ${jsonSpans(this.received)
          .map((span) => `${span.service}:${span.name}`)
          .join(', ')}`,
      );
    });
    return jsonSpans(this.received);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
