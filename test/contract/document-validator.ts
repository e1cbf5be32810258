import { expect } from 'chai';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** One answer the client received, as the validator needs it. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  mediaType: string;
  body: unknown;
}

interface HeaderObject {
  required?: boolean;
  schema: Record<string, unknown>;
}

type Operation = { operationId: string; responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, { $ref: string }> }> };

/** JSON Pointer escaping of one segment. */
const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Checks answers against an OpenAPI 3.1 document with ajv (JSON Schema 2020-12): the operation
 * and status are documented, the media type is one the status declares, the body matches its
 * schema, and every declared header is present when required and matches its schema.
 */
export class DocumentValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly seen = new Set<string>();
  private readonly paths: [string, RegExp][];

  constructor(private readonly document: Record<string, unknown>) {
    (addFormats as unknown as (ajv: Ajv2020) => void)(this.ajv);
    this.ajv.addSchema({ ...document, $id: 'openapi' });
    this.paths = Object.keys(document.paths as object)
      // Literal paths first: /api/v1/jobs/clustering is not /api/v1/jobs/{id}.
      .sort((a, b) => Number(a.includes('{')) - Number(b.includes('{')))
      .map((template) => [template, new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`)]);
  }

  /** Operation ids of the answers checked so far. */
  operationsSeen(): string[] {
    return [...this.seen];
  }

  check(exchange: Exchange): void {
    const what = `${exchange.method} ${exchange.path} → ${exchange.status}`;
    const template = this.paths.find(([, pattern]) => pattern.test(exchange.path))?.[0];
    expect(template, `${what}: an undocumented path`).to.be.a('string');
    const method = exchange.method.toLowerCase();
    const operation = (this.document.paths as Record<string, Record<string, Operation>>)[template!]![method];
    expect(operation, `${what}: an undocumented method`).to.be.an('object');
    this.seen.add(operation!.operationId);
    const code = String(exchange.status) in operation!.responses ? String(exchange.status) : `${String(exchange.status)[0]}XX`;
    const response = operation!.responses[code];
    expect(response, `${what}: an undocumented status`).to.be.an('object');
    const at = `openapi#/paths/${pointer(template!)}/${method}/responses/${code}`;
    if (response!.content) {
      expect(Object.keys(response!.content), `${what}: media type`).to.include(exchange.mediaType);
      const validate = this.ajv.getSchema(`${at}/content/${pointer(exchange.mediaType)}/schema`)!;
      expect(validate(exchange.body), `${what}: body ${JSON.stringify(validate.errors)}`).to.equal(true);
    }
    for (const [name, reference] of Object.entries(response!.headers ?? {})) {
      const header = this.resolveHeader(reference.$ref);
      const value = exchange.headers.get(name);
      if (value === null) {
        expect(header.required === true, `${what}: header ${name} is required`).to.equal(false);
        continue;
      }
      const validate = this.ajv.compile(header.schema);
      expect(validate(value), `${what}: header ${name}: ${value} ${JSON.stringify(validate.errors)}`).to.equal(true);
    }
  }

  private resolveHeader(ref: string): HeaderObject {
    const name = ref.slice('#/components/headers/'.length);
    const headers = (this.document.components as { headers: Record<string, HeaderObject> }).headers;
    return headers[name]!;
  }
}
