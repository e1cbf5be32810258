import { expect } from 'chai';
import {
  DatasetNotFoundError,
  InvalidDatasetError,
  InvalidDurationError,
  MigrationChecksumError,
  MigrationFailedError,
  MigrationFileError,
  StoreError,
  StoreErrorCode,
} from './errors.js';

describe('store errors', () => {
  const examples: StoreError[] = [
    new MigrationChecksumError('public', [{ version: 1, name: 'datasets', applied: 'a', current: 'b' }]),
    new MigrationFailedError('0002_job_results', new Error('relation "datasets" does not exist')),
    new MigrationFileError('bad name'),
    new InvalidDatasetError(['lines: expected one per person (3), got 2']),
    new DatasetNotFoundError('f'.repeat(64)),
    new InvalidDurationError('bad duration'),
  ];

  it('has one class per code, each a StoreError named after its class', () => {
    expect(examples.map((e) => e.code).sort()).to.deep.equal(Object.values(StoreErrorCode).sort());
    for (const error of examples) {
      expect(error).to.be.instanceOf(StoreError).and.instanceOf(Error);
      expect(error.name).to.equal(error.constructor.name);
    }
  });

  it('names each code after itself', () => {
    for (const [key, code] of Object.entries(StoreErrorCode)) expect(code).to.equal(key);
  });

  it('says which migration changed and what to do', () => {
    expect(examples[0]!.message).to.equal(
      'migrations already applied to schema "public" have changed since: 0001_datasets.sql; ' +
        'restore the original files and put the change in a new migration',
    );
  });

  it('keeps the database error of a failed migration as its cause', () => {
    const failed = examples[1] as MigrationFailedError;
    expect(failed.cause).to.be.instanceOf(Error);
    expect(failed.message).to.equal('migration 0002_job_results failed, nothing was applied: relation "datasets" does not exist');
  });
});
