import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback, gzip as gzipCallback } from 'node:zlib';
import { InvalidDatasetError } from './errors.js';
import { table, type Queryable, type SchemaOption } from './sql.js';

const gzip = promisify(gzipCallback);
const gunzip = promisify(gunzipCallback);

/** A row left out of a data set on request, with why. */
export interface SkippedRow {
  line: number;
  /** The row's employee_id when it had one. */
  employee_id?: string;
  reasons: string[];
}

/**
 * A validated data set as stored: the core's profile set with plain arrays. Person `i` is `ids[i]`,
 * with energies `energies[4*i .. 4*i+3]` (red, blue, green, yellow) as percentages summing to 100.
 */
export interface DatasetContent {
  ids: string[];
  /** Normalised energies, 4 per person. */
  energies: number[];
  /** Source line (CSV) or item number (JSON) of each person. */
  lines: number[];
  lineUnit: 'line' | 'item';
  /** Extra input columns, by name, one string per person. Never logged. */
  metadata: Record<string, string[]>;
  /** Rows dropped on request, with every reason. */
  skipped: SkippedRow[];
}

/** What `putDataset` did. */
export interface PutDatasetResult {
  /** The data set's id (see `datasetId`). */
  id: string;
  /** False when the same organisation had already stored the same content. */
  created: boolean;
}

/**
 * The content as canonical JSON: fixed field order, metadata columns sorted by name, absent
 * `employee_id`s left out. Equal content gives equal text, however the caller built the object.
 */
export function canonicalDatasetJson(content: DatasetContent): string {
  const metadata: Record<string, string[]> = {};
  for (const key of Object.keys(content.metadata).sort()) metadata[key] = content.metadata[key]!;
  return JSON.stringify({
    ids: content.ids,
    energies: content.energies,
    lines: content.lines,
    lineUnit: content.lineUnit,
    metadata,
    skipped: content.skipped.map((row) =>
      row.employee_id === undefined ? { line: row.line, reasons: row.reasons } : { line: row.line, employee_id: row.employee_id, reasons: row.reasons },
    ),
  });
}

/** The content address of a data set: hex SHA-256 of organisation, NUL, canonical JSON. */
export function datasetId(organization: string, content: DatasetContent): string {
  return idOf(organization, canonicalDatasetJson(content));
}

function idOf(organization: string, canonical: string): string {
  return createHash('sha256').update(organization).update('\0').update(canonical).digest('hex');
}

/**
 * Stores a data set under its content address, or, if the organisation already stored the same
 * content, marks it used now (so retention keeps it). Safe under concurrency: simultaneous puts of
 * the same content all succeed and leave one row.
 */
export async function putDataset(db: Queryable, organization: string, content: DatasetContent, options?: SchemaOption): Promise<PutDatasetResult> {
  checkContent(content);
  const canonical = canonicalDatasetJson(content);
  const id = idOf(organization, canonical);
  const compressed = await gzip(Buffer.from(canonical, 'utf8'));
  // xmax is 0 only on a freshly inserted row version; an upsert that hit the conflict sets it.
  const { rows } = await db.query<{ created: boolean }>(
    `INSERT INTO ${table(options, 'datasets')} AS d (id, organization, people, content)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET last_used_at = now()
     RETURNING (d.xmax = 0) AS created`,
    [id, organization, content.ids.length, compressed],
  );
  return { id, created: rows[0]!.created };
}

/** A data set's content, or null when no data set has this id for this organisation. */
export async function getDataset(db: Queryable, id: string, organization: string, options?: SchemaOption): Promise<DatasetContent | null> {
  const { rows } = await db.query<{ content: Buffer }>(`SELECT content FROM ${table(options, 'datasets')} WHERE id = $1 AND organization = $2`, [
    id,
    organization,
  ]);
  const row = rows[0];
  if (row === undefined) return null;
  return JSON.parse((await gunzip(row.content)).toString('utf8')) as DatasetContent;
}

/** Deletes an organisation's data set and, by cascade, the results computed from it. */
export async function deleteDataset(db: Queryable, id: string, organization: string, options?: SchemaOption): Promise<{ deleted: boolean }> {
  const { rowCount } = await db.query(`DELETE FROM ${table(options, 'datasets')} WHERE id = $1 AND organization = $2`, [id, organization]);
  return { deleted: rowCount === 1 };
}

/** Refuses content that would not read back as written: mismatched lengths, numbers JSON turns into null. */
function checkContent(content: DatasetContent): void {
  const people = content.ids.length;
  const problems: string[] = [];
  if (content.energies.length !== 4 * people) {
    problems.push(`energies: expected 4 per person (${4 * people}), got ${content.energies.length}`);
  }
  if (content.lines.length !== people) problems.push(`lines: expected one per person (${people}), got ${content.lines.length}`);
  for (const [column, values] of Object.entries(content.metadata)) {
    if (values.length !== people) problems.push(`metadata ${column}: expected one value per person (${people}), got ${values.length}`);
  }
  const badEnergy = content.energies.findIndex((value) => !Number.isFinite(value));
  if (badEnergy >= 0) problems.push(`energies[${badEnergy}]: ${content.energies[badEnergy]} is not a finite number`);
  const badLine = content.lines.findIndex((value) => !Number.isSafeInteger(value));
  if (badLine >= 0) problems.push(`lines[${badLine}]: ${content.lines[badLine]} is not an integer`);
  if (problems.length > 0) throw new InvalidDatasetError(problems);
}
