import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer +(\S+) *$/i;

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Whether an `Authorization` header carries the shared secret as a bearer token. Both sides are
 * hashed first, so the comparison takes the same time whatever the token's length or content.
 */
export function bearerMatches(header: string | undefined, secret: string): boolean {
  const match = header === undefined ? null : BEARER.exec(header);
  const token = match?.[1] ?? '';
  const equal = timingSafeEqual(digest(token), digest(secret));
  return match !== null && equal;
}
