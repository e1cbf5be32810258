import type { Hash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Worker } from 'node:worker_threads';
import { CsvProfileReader, type ProfileSet } from '@insights/core';
import { ApiError } from '../errors.js';
import { errorOf, type FromParseThread, type ParseThreadData } from './parse-messages.js';

/** A CSV body read and parsed as it arrived: what a submission needs of it, never the text. */
export interface CsvUpload {
  readonly profiles: ProfileSet;
  /** Data rows submitted, valid or not (blank lines aside). */
  readonly rows: number;
  /** The idempotency fingerprint of the request, body included. */
  readonly fingerprint: string;
}

/** Limits and options of one upload. */
export interface CsvUploadOptions {
  skipInvalid: boolean;
  /** Most data rows taken (INSIGHTS_MAX_EMPLOYEES); one more and reading stops. */
  maxRows: number;
  /** Most megabytes taken (INSIGHTS_MAX_BODY_MB). */
  maxBodyMb: number;
  /** Fed the body's bytes as they arrive; its hex digest is the fingerprint. */
  fingerprint: Hash;
}

/** Bodies up to this size are parsed on the event loop as they arrive (a few milliseconds); larger ones on a thread. */
const INLINE_PARSE_BYTES = 256 * 1024;

/** Chunks handed to the parse thread and not yet read: the socket is paused beyond this, so a slow parse holds little. */
const MAX_CHUNKS_IN_FLIGHT = 4;

/** Parse threads at once: two cores' worth; further large uploads wait, unread, for a free one. */
const MAX_PARSE_THREADS = 2;

/** Heap of a parse thread: the rows kept (bounded by maxRows) plus one record, far below this. */
const PARSE_THREAD_HEAP_MB = 512;

let running = 0;
const waiting: Array<() => void> = [];

async function acquireThreadSlot(): Promise<() => void> {
  if (running >= MAX_PARSE_THREADS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

/**
 * Reads a CSV request body as a stream: bytes counted against `maxBytes`, rows against `maxRows`
 * as the parser reads them (so CR-only line ends count as lines), nothing of the body kept but the
 * rows. A body announced as larger than {@link INLINE_PARSE_BYTES} is parsed on a worker thread,
 * so the API's event loop only moves bytes. On a refusal the rest of the body is read and dropped
 * so the connection can answer.
 *
 * @throws {ApiError} PAYLOAD_TOO_LARGE over `maxBytes`, TOO_MANY_EMPLOYEES past `maxRows`
 * @throws {InvalidInputError} for data that cannot be read
 */
export async function readCsvUpload(payload: IncomingMessage, options: CsvUploadOptions): Promise<CsvUpload> {
  const maxBytes = Math.floor(options.maxBodyMb * 1024 * 1024);
  const announced = Number(payload.headers['content-length'] ?? Number.NaN);
  if (announced > maxBytes) {
    payload.resume();
    throw tooLarge(options.maxBodyMb);
  }
  const parse = Number.isFinite(announced) && announced <= INLINE_PARSE_BYTES ? parseInline : parseOnThread;
  try {
    return await parse(payload, options, maxBytes);
  } catch (error) {
    payload.resume();
    throw translate(error, options);
  }
}

function tooLarge(maxBodyMb: number): ApiError {
  return new ApiError('PAYLOAD_TOO_LARGE', `the body is larger than the ${maxBodyMb} MB allowed (INSIGHTS_MAX_BODY_MB)`);
}

function translate(error: unknown, options: CsvUploadOptions): unknown {
  if (error instanceof Error && (error as { code?: string }).code === 'TOO_MANY_ROWS') {
    return new ApiError(
      'TOO_MANY_EMPLOYEES',
      `more than ${options.maxRows} people submitted, but a job may hold at most ${options.maxRows} (INSIGHTS_MAX_EMPLOYEES)`,
    );
  }
  return error;
}

async function parseInline(payload: IncomingMessage, options: CsvUploadOptions, maxBytes: number): Promise<CsvUpload> {
  const reader = new CsvProfileReader({ skipInvalid: options.skipInvalid, maxRows: options.maxRows });
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  for await (const chunk of payload as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > maxBytes) throw tooLarge(options.maxBodyMb);
    options.fingerprint.update(chunk);
    reader.push(decoder.decode(chunk, { stream: true }));
  }
  reader.push(decoder.decode());
  const profiles = reader.end();
  const rows = profiles.ids.length + profiles.skipped.length;
  return { profiles, rows, fingerprint: finish(options.fingerprint) };
}

function finish(hash: Hash): string {
  return hash.update('\0').digest('hex');
}

async function parseOnThread(payload: IncomingMessage, options: CsvUploadOptions, maxBytes: number): Promise<CsvUpload> {
  const release = await acquireThreadSlot();
  const data: ParseThreadData = { skipInvalid: options.skipInvalid, maxRows: options.maxRows };
  const thread = new Worker(new URL('./parse-thread.js', import.meta.url), {
    workerData: data,
    resourceLimits: { maxOldGenerationSizeMb: PARSE_THREAD_HEAP_MB },
  });
  try {
    const profiles = await new Promise<ProfileSet>((resolve, reject) => {
      let inFlight = 0;
      let bytes = 0;
      let settled = false;
      const fail = (error: unknown): void => {
        if (settled) return;
        settled = true;
        payload.off('data', onData);
        reject(error);
      };
      const onData = (chunk: Buffer): void => {
        bytes += chunk.length;
        if (bytes > maxBytes) return fail(tooLarge(options.maxBodyMb));
        options.fingerprint.update(chunk);
        // A copy of just these bytes, moved rather than cloned: a socket chunk may be a view of a larger buffer.
        const copy = new Uint8Array(chunk);
        thread.postMessage({ chunk: copy }, [copy.buffer]);
        if (++inFlight >= MAX_CHUNKS_IN_FLIGHT) payload.pause();
      };
      thread.on('message', (message: FromParseThread) => {
        if ('read' in message) {
          if (--inFlight < MAX_CHUNKS_IN_FLIGHT && !settled) payload.resume();
        } else if ('failure' in message) fail(errorOf(message.failure));
        else if (!settled) {
          settled = true;
          resolve(message.profiles);
        }
      });
      thread.on('error', fail);
      thread.on('exit', (code) => fail(new Error(`the CSV parse thread exited (${code}) before it answered`)));
      payload.on('data', onData);
      payload.on('end', () => {
        if (!settled) thread.postMessage({ end: true });
      });
      payload.on('error', fail);
    });
    const rows = profiles.ids.length + profiles.skipped.length;
    return { profiles, rows, fingerprint: finish(options.fingerprint) };
  } finally {
    release();
    void thread.terminate();
  }
}
