import { Worker } from 'node:worker_threads';
import type { StoredReportOptions, StoredResult } from '@insights/report';
import type { DatasetContent } from '@insights/store';
import { ApiError } from '../errors.js';

/** What a report is made of: the stored result and the data set it ran on (null when gone). */
export interface RenderInput {
  stored: StoredResult;
  dataset: DatasetContent | null;
}

/** Limits of {@link ReportRenderer}. */
export interface RenderLimits {
  /** Reports rendered at once, each on its own thread (default 1: a 200,000-person report alone takes about 1 GB). */
  concurrent: number;
  /** Requests that may wait for a thread; more are refused 503 with Retry-After (default 4). */
  waiting: number;
  /** Heap of a render thread in MB; a report that needs more fails alone (default 1536). */
  heapMb: number;
}

const DEFAULT_LIMITS: RenderLimits = { concurrent: 1, waiting: 4, heapMb: 1536 };

/**
 * Renders HTML reports on worker threads, a bounded number at once, so that a large report neither
 * stalls the API's event loop (health checks, every other request) nor, several at once, runs the
 * process out of memory: the rest wait in a bounded line, and beyond it are refused with 503.
 */
export class ReportRenderer {
  private running = 0;
  private readonly line: Array<() => void> = [];
  private readonly limits: RenderLimits;

  constructor(limits: Partial<RenderLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /**
   * The report as UTF-8 bytes. `load` reads the stored result and its data set once this report's
   * turn has come, so a waiting report holds nothing in memory.
   *
   * @throws {ApiError} UNAVAILABLE when the line of waiting reports is full
   */
  async render(load: () => Promise<RenderInput>, options: StoredReportOptions): Promise<Buffer> {
    await this.enter();
    let input: RenderInput;
    try {
      input = await load();
    } catch (error) {
      this.leave();
      throw error;
    }
    const { stored, dataset } = input;
    const thread = new Worker(new URL('./render-thread.js', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb } });
    try {
      return await new Promise<Buffer>((resolve, reject) => {
        thread.once('message', (message: { html?: Uint8Array; error?: string }) => {
          if (message.html !== undefined) resolve(Buffer.from(message.html.buffer, message.html.byteOffset, message.html.byteLength));
          else reject(new Error(`the report could not be rendered: ${message.error}`));
        });
        thread.once('error', reject);
        thread.once('exit', (code) => reject(new Error(`the report thread exited (${code}) before it answered`)));
        thread.postMessage({ stored, dataset, options });
      });
    } finally {
      void thread.terminate();
      this.leave();
    }
  }

  private async enter(): Promise<void> {
    if (this.running < this.limits.concurrent) {
      this.running++;
      return;
    }
    if (this.line.length >= this.limits.waiting) {
      throw new ApiError('UNAVAILABLE', `${this.limits.concurrent + this.limits.waiting} reports are being rendered or waiting; retry shortly`);
    }
    // The slot is handed over by leave(): running stays counted.
    await new Promise<void>((resolve) => this.line.push(resolve));
  }

  private leave(): void {
    const next = this.line.shift();
    if (next !== undefined) next();
    else this.running--;
  }
}
