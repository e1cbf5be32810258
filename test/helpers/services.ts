/** Real services of the integration tests; `TEST_REDIS_URL` and `TEST_DATABASE_URL` point them elsewhere. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
