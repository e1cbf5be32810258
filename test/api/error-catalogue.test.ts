import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { ConfigError, ApiErrorCode } from '@insights/api';

const errors = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const guide = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');

describe('api: error catalogue', () => {
  for (const code of [...Object.values(ApiErrorCode), new ConfigError([]).code]) {
    it(`documents ${code} in docs/errors.md and docs/api.md`, () => {
      expect(errors).to.include(`| \`${code}\` |`);
      expect(guide).to.include(`\`${code}\``);
    });
  }
});
