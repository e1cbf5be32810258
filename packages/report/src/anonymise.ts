import { createHmac, randomBytes } from 'node:crypto';

/** Fewest hex digits of a pseudonym; more are used when a report's ids would otherwise collide. */
export const MIN_PSEUDONYM_DIGITS = 4;

/**
 * A function from employee_id to pseudonym, "Person 7F3A": the first hex digits of
 * HMAC-SHA-256(salt, id), upper case. Every pseudonym of one report has the same number of digits,
 * the fewest (at least 4) at which all of `ids` differ; a longer pseudonym starts with the shorter
 * one, so the same ids and salt always give the same names. The salt keeps anyone who can guess
 * employee ids from recomputing the pseudonyms; keep it secret, and reuse it only where reports
 * must agree. Ids not in `ids` are refused, so no real id can slip through unreplaced.
 */
export function pseudonymiser(ids: Iterable<string>, salt: string): (id: string) => string {
  const digests = new Map<string, string>();
  for (const id of ids) if (!digests.has(id)) digests.set(id, createHmac('sha256', salt).update(id, 'utf8').digest('hex').toUpperCase());
  const all = [...digests.values()];
  let digits = MIN_PSEUDONYM_DIGITS;
  while (digits < 64 && new Set(all.map((d) => d.slice(0, digits))).size < all.length) digits++;
  return (id) => {
    const digest = digests.get(id);
    if (digest === undefined) throw new RangeError('an employee_id outside the report was to be shown');
    return `Person ${digest.slice(0, digits)}`;
  };
}

/** A fresh random salt (128 bits, hex), for callers that asked for pseudonyms without giving one. */
export function newSalt(): string {
  return randomBytes(16).toString('hex');
}
