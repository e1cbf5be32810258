import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { UsageError } from './errors.js';

/** Reads a data file as UTF-8, or standard input when the name is `-`. */
export async function readInput(file: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  if (file === '-') return text(stdin);
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? error);
    throw new UsageError(`cannot read ${file}: ${reason}`, { cause: error });
  }
}

/** The input format implied by a file name: JSON for `.json`, otherwise detected from the content. */
export function formatOf(file: string): 'json' | 'auto' {
  return file.toLowerCase().endsWith('.json') ? 'json' : 'auto';
}
