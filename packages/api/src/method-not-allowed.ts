import { openApiDocument } from './openapi.js';

/** Each documented path as a pattern, with the methods it has (HEAD wherever GET is, as Fastify answers it). */
const ROUTES: readonly { pattern: RegExp; methods: string[] }[] = Object.entries(openApiDocument().paths as Record<string, Record<string, unknown>>).map(
  ([path, operations]) => {
    const methods = Object.keys(operations).map((method) => method.toUpperCase());
    if (methods.includes('GET')) methods.push('HEAD');
    return { pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`), methods };
  },
);

/**
 * The methods a documented path has, when it has some but not `method`; null when the path is not
 * one of the API's (404) or has the method. Read from the OpenAPI document, so that the answer 405
 * and its `Allow` header cannot disagree with what the document promises.
 */
export function allowedMethods(method: string, path: string): string[] | null {
  const route = ROUTES.find(({ pattern }) => pattern.test(path));
  if (!route || route.methods.includes(method)) return null;
  return route.methods;
}
