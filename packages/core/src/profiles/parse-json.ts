import { InvalidInputError, type InputProblem } from '../errors.js';
import { buildProfileSet, describeType, type RawRow } from './build-profile-set.js';
import { ENERGY_COLUMNS, ID_COLUMN, type ParseOptions, type ProfileSet } from './types.js';

const REQUIRED_KEYS: ReadonlySet<string> = new Set([ID_COLUMN, ...ENERGY_COLUMNS]);

/**
 * Reads Insights profiles from an already-parsed JSON value: an array of objects (or an object
 * whose `employees` is that array, the API's request shape) with the keys
 * `employee_id`, `red_energy`, `blue_energy`, `green_energy` and `yellow_energy` (energies as
 * numbers or numeric strings). Any other keys are carried as metadata, as text, in the order
 * they first appear. Problems are located by 1-based item number (`item 3, column red_energy: …`);
 * an item that is not an object is a problem of that item.
 *
 * @throws {InvalidInputError} when the value is not an array, or listing every problem found
 *   (capped by `maxProblems`)
 */
export function parseProfilesJson(value: unknown, options: ParseOptions = {}): ProfileSet {
  const list = employeesOf(value);
  if (!Array.isArray(list)) {
    throw new InvalidInputError([{ reason: `expected a JSON array of profile objects (or {"employees": […]}), found ${describeType(list)}` }]);
  }
  const items: readonly unknown[] = list;
  const rows: RawRow[] = [];
  const metadata = new Set<string>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const line = i + 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      rows.push({ line, values: {}, problems: [{ reason: `expected an object, found ${describeType(item)}` }] });
      continue;
    }
    for (const key of Object.keys(item)) {
      if (!REQUIRED_KEYS.has(key)) metadata.add(key);
    }
    rows.push({ line, values: item as Record<string, unknown> });
  }
  return buildProfileSet(rows, [...metadata], { ...options, unit: 'item' });
}

/** The array of profiles: the value itself, or the `employees` of an object that has that key. */
function employeesOf(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, 'employees')) {
    return (value as { employees: unknown }).employees;
  }
  return value;
}

/**
 * Parses JSON text (a UTF-8 BOM is allowed) and reads it with {@link parseProfilesJson}.
 *
 * @throws {InvalidInputError} for empty input or a syntax error, located by line and column where
 *   the JSON parser says where; the message never quotes the input
 */
export function parseProfilesJsonText(text: string, options: ParseOptions = {}): ProfileSet {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') {
    throw new InvalidInputError([{ reason: 'empty input: expected a JSON array of profile objects' }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    if (error instanceof SyntaxError) throw new InvalidInputError([syntaxProblem(error.message, body)]);
    throw error;
  }
  return parseProfilesJson(value, options);
}

/**
 * Turns V8's JSON.parse message into a problem. Messages with `at position N` get a line and
 * column; messages that quote a snippet of the input have the snippet removed, since the input
 * holds personal data.
 */
function syntaxProblem(message: string, text: string): InputProblem {
  const positioned = /^(.*?) in JSON at position (\d+)/s.exec(message);
  if (positioned !== null) {
    const position = Number(positioned[2]);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < position && i < text.length; i++) {
      if (text.charCodeAt(i) === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    const column = position - lineStart + 1;
    return { line, unit: 'line', reason: `not valid JSON: ${positioned[1]} (column ${column})` };
  }
  const quoting = /^(.*?), (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s.exec(message);
  if (quoting !== null) return { reason: `not valid JSON: ${quoting[1]}` };
  return { reason: message.includes('"') ? 'not valid JSON' : `not valid JSON: ${message}` };
}
