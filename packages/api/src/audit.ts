import type { Logger } from 'pino';
import { isUnavailable, type AuditEntry, type Store } from '@insights/store';

/** Options of the audit trail, with their defaults. */
export interface AuditTrailOptions {
  /** How often buffered entries are written, in ms (default 200). */
  flushMs?: number;
  /** Entries kept while PostgreSQL is unreachable; beyond, the oldest are dropped and counted (default 100000). */
  maxBuffered?: number;
}

/**
 * The audit log: each entry goes at once to its own pino logger (`stream: "audit"`), and in
 * batches to PostgreSQL's `audit_log` (one insert per batch keeps it off the request path). A
 * failed write keeps the entries for the next attempt; `close()` writes what is left.
 */
export class AuditTrail {
  private buffer: AuditEntry[] = [];
  private readonly timer: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private dropped = 0;
  private busy = false;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly errors: Logger,
    private readonly options: AuditTrailOptions = {},
  ) {
    // A tick while a write is still in flight adds nothing: the next tick takes the buffer.
    this.timer = setInterval(() => {
      if (!this.busy) void this.flush();
    }, options.flushMs ?? 200);
    this.timer.unref();
  }

  /** Records an entry: logged now, stored with the next batch. */
  record(entry: Omit<AuditEntry, 'at'>): void {
    const full = { at: new Date(), ...entry };
    this.log.info(
      { token_id: full.tokenId, organization: full.organization, action: full.action, job_id: full.jobId, outcome: full.outcome, request_id: full.requestId },
      'audit',
    );
    this.buffer.push(full);
    const max = this.options.maxBuffered ?? 100_000;
    if (this.buffer.length > max) {
      this.dropped += this.buffer.length - max;
      this.buffer.splice(0, this.buffer.length - max);
    }
  }

  /** Writes every buffered entry; resolves once they are stored (or the write failed and was logged). */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  /** Stops the timer and writes what is left, giving up after `timeoutMs` (the entries are in the log lines already). */
  async close(timeoutMs = 5_000): Promise<void> {
    clearInterval(this.timer);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    const done = await Promise.race([this.flush().then(() => false), gaveUp]);
    clearTimeout(timer);
    if (done) this.errors.error({ entries: this.buffer.length }, 'the audit log could not be written before shutdown; the entries are in the audit lines only');
  }

  private async write(): Promise<void> {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.busy = true;
    try {
      await this.store.appendAudit(batch);
    } catch (err) {
      if (isUnavailable(err)) {
        this.buffer = batch.concat(this.buffer);
        this.errors.error({ err, entries: batch.length, dropped: this.dropped }, 'could not write the audit log; will retry');
      } else {
        await this.writeOneByOne(batch, err);
      }
    } finally {
      this.busy = false;
    }
  }

  /** A batch PostgreSQL refused: store what it takes, one entry at a time, and drop (and count) the rest. */
  private async writeOneByOne(batch: AuditEntry[], cause: unknown): Promise<void> {
    let refused = 0;
    const retry: AuditEntry[] = [];
    for (const entry of batch) {
      try {
        await this.store.appendAudit([entry]);
      } catch (err) {
        if (isUnavailable(err)) retry.push(entry);
        else refused += 1;
      }
    }
    this.buffer = retry.concat(this.buffer);
    this.dropped += refused;
    this.errors.error({ err: cause, refused, dropped: this.dropped }, 'audit entries refused by PostgreSQL were dropped');
  }
}
