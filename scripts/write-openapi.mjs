// Writes the API's OpenAPI document (from the built @insights/api) to packages/api/dist/openapi.json,
// where `npm run lint:openapi` lints it with Redocly's recommended rules (redocly.yaml).
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../packages/api/dist/openapi.js';

writeFileSync(new URL('../packages/api/dist/openapi.json', import.meta.url), `${JSON.stringify(openApiDocument(), null, 2)}\n`);
