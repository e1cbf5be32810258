import { readFile } from 'node:fs/promises';
import { buffer } from 'node:stream/consumers';
import { UsageError } from './errors.js';

/**
 * Reads a data file, or standard input when the name is `-`, as text: UTF-8 (with or without a
 * BOM), or UTF-16 when it starts with a UTF-16 BOM (Excel's "Unicode Text"). A spreadsheet or
 * text in another encoding is refused with what it looks like and how to save it as CSV.
 */
export async function readInput(file: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  if (file === '-') return decodeInput(await buffer(stdin), 'standard input');
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? error);
    throw new UsageError(`cannot read ${file}: ${reason}`, { cause: error });
  }
  return decodeInput(bytes, file);
}

/** What to do instead, said whenever the input is not text we read. */
const SAVE_AS_CSV = 'save it as CSV (Excel: File › Save As › "CSV UTF-8") and give that file';

/**
 * The text of an input's bytes, by its byte-order mark: UTF-16 little- or big-endian, else UTF-8
 * (a UTF-8 BOM is kept: the readers skip it).
 *
 * @throws {UsageError} for a spreadsheet (.xlsx, .ods: a zip archive; .xls: an OLE2 file) or bytes
 *   that are not UTF-8, saying which it looks like
 */
function decodeInput(bytes: Buffer, name: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    throw new UsageError(`${name} looks like a spreadsheet (.xlsx or .ods, a zip archive), not CSV or JSON: ${SAVE_AS_CSV}`);
  }
  if (bytes.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    throw new UsageError(`${name} looks like an old Excel spreadsheet (.xls), not CSV or JSON: ${SAVE_AS_CSV}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const nulls = bytes.subarray(0, 1024).filter((b) => b === 0).length;
    const looks = nulls > 0 ? 'UTF-16 without a byte-order mark, or a binary file' : 'a single-byte encoding such as Windows-1252 (Latin-1)';
    throw new UsageError(`${name} is not UTF-8 text; it looks like ${looks}: ${SAVE_AS_CSV}`);
  }
}

/** The input format implied by a file name: JSON for `.json`, otherwise detected from the content. */
export function formatOf(file: string): 'json' | 'auto' {
  return file.toLowerCase().endsWith('.json') ? 'json' : 'auto';
}
