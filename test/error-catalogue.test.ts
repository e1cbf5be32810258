import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { CoreErrorCode } from '@insights/core';
import { UsageError } from '../packages/cli/src/errors.js';

const documented = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

describe('error catalogue', () => {
  for (const code of [...Object.values(CoreErrorCode), new UsageError('').code]) {
    it(`documents ${code} in docs/errors.md`, () => {
      expect(documented).to.include(`| \`${code}\` |`);
    });
  }
});
