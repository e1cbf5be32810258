import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { CoreErrorCode } from '@insights/core';
import { JobErrorCode } from '@insights/jobs';
import { ProducerErrorCode } from '@insights/producer';
import { StoreErrorCode } from '@insights/store';
import { ConfigError } from '@insights/worker';
import { JobFailedError, UsageError } from '../packages/cli/src/errors.js';

const documented = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

describe('error catalogue', () => {
  const codes = [
    ...Object.values(CoreErrorCode),
    new UsageError('').code,
    new JobFailedError('').code,
    ...Object.values(JobErrorCode),
    ...Object.values(StoreErrorCode),
    ...Object.values(ProducerErrorCode),
    new ConfigError([]).code,
  ];
  for (const code of codes) {
    it(`documents ${code} in docs/errors.md`, () => {
      expect(documented).to.include(`| \`${code}\` |`);
    });
  }
});
