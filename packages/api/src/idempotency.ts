import { createHash, type Hash } from 'node:crypto';
import { ApiError } from './errors.js';

const KEY = /^[\x21-\x7e]{1,255}$/;

/** The Idempotency-Key header checked: absent, or 1–255 visible ASCII characters. */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !KEY.test(header)) {
    throw new ApiError('INVALID_REQUEST', 'Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID, say), given once');
  }
  return header;
}

/** What makes two submissions the same request: the kind, the query parameters and the body. */
export function requestFingerprint(kind: string, query: Record<string, unknown>, contentType: string, body: string): string {
  return fingerprintHash(kind, query, contentType).update(body).update('\0').digest('hex');
}

/**
 * {@link requestFingerprint} for a body read as a stream: the hash of everything but the body,
 * to be fed the body's bytes, then `\0`, then digested as hex.
 */
export function fingerprintHash(kind: string, query: Record<string, unknown>, contentType: string): Hash {
  const sortedQuery = JSON.stringify(
    Object.keys(query)
      .sort()
      .map((k) => [k, query[k]]),
  );
  const hash = createHash('sha256');
  for (const part of [kind, sortedQuery, contentType]) hash.update(part).update('\0');
  return hash;
}
