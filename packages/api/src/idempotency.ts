import { createHash, type Hash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { ApiError } from './errors.js';

/** How long an Idempotency-Key is remembered: a day, as long as BullMQ keeps finished jobs. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

const KEY = /^[\x21-\x7e]{1,255}$/;

/** The Idempotency-Key header checked: absent, or 1–255 visible ASCII characters. */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !KEY.test(header)) {
    throw new ApiError('INVALID_REQUEST', 'Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID, say), given once');
  }
  return header;
}

function digest(...parts: string[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest();
}

/** 16 bytes of a hash as an RFC 9562 version-8 UUID: looks like every other job id. */
function uuidOf(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The job ids of a submission with an Idempotency-Key: derived from organisation and key, so every
 * repetition (concurrent or later) names the same jobs and BullMQ adds them once.
 */
export function idempotentJobIds(organization: string, key: string): { jobId: string; childJobId: string } {
  return { jobId: uuidOf(digest('job', organization, key)), childJobId: uuidOf(digest('child', organization, key)) };
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
  const sortedQuery = JSON.stringify(Object.keys(query).sort().map((k) => [k, query[k]]));
  const hash = createHash('sha256');
  for (const part of [kind, sortedQuery, contentType]) hash.update(part).update('\0');
  return hash;
}

/**
 * Claims an Idempotency-Key for a request (SET NX with a day's expiry). The first claim and any
 * repetition of the same request pass; the same key with another request is refused (422).
 */
export async function claimIdempotencyKey(redis: Redis | Cluster, prefix: string, organization: string, key: string, fingerprint: string): Promise<void> {
  const redisKey = idempotencyRedisKey(prefix, organization, key);
  const set = await redis.set(redisKey, fingerprint, 'EX', IDEMPOTENCY_TTL_SECONDS, 'NX');
  if (set === 'OK') return;
  const stored = await redis.get(redisKey);
  // Expired between the two commands: the key is free again, so claim it anew.
  if (stored === null) return claimIdempotencyKey(redis, prefix, organization, key, fingerprint);
  if (stored !== fingerprint) {
    throw new ApiError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used in the last 24 hours with a different request; use a new key for a new request');
  }
}

/**
 * Puts back what Redis forgot (expiry, a restart): the fingerprint of the request that first
 * used the key, as the job index recorded it, so that the key keeps answering for that request.
 */
export async function restoreIdempotencyKey(redis: Redis | Cluster, prefix: string, organization: string, key: string, fingerprint: string): Promise<void> {
  await redis.set(idempotencyRedisKey(prefix, organization, key), fingerprint, 'EX', IDEMPOTENCY_TTL_SECONDS);
}

function idempotencyRedisKey(prefix: string, organization: string, key: string): string {
  return `${prefix}:idempotency:${digest(organization, key).toString('hex')}`;
}
