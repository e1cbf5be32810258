import { CodedError } from '@insights/errors';
import { raceTimeout } from './timeout.js';

/** A part's name and how to close it. */
interface Closer {
  name: string;
  close: () => unknown;
  /** This part's own bound, when it is not the scope's. */
  timeoutMs?: number;
}

/** One part that failed to close (threw, rejected or ran past its timeout). */
export interface CloseFailure {
  name: string;
  error: unknown;
}

/** Some parts failed to close; every other part was closed all the same. Lists each failure. */
export class ScopeCloseError extends CodedError<'CLOSE_FAILED'> {
  constructor(readonly failures: readonly CloseFailure[]) {
    const list = failures.map((f) => `${f.name} (${f.error instanceof Error ? f.error.message : String(f.error)})`).join('; ');
    super('CLOSE_FAILED', 'ours', `${failures.length} part${failures.length === 1 ? '' : 's'} failed to close: ${list}`);
  }
}

/** A close that ran past its bound. */
export class CloseTimeoutError extends CodedError<'CLOSE_TIMEOUT'> {
  constructor(
    readonly part: string,
    readonly timeoutMs: number,
  ) {
    super('CLOSE_TIMEOUT', 'ours', `${part} did not close within ${timeoutMs} ms`);
  }
}

/** How a scope closes its parts. */
export interface ScopeOptions {
  /** How long each part may take to close before the scope moves on to the next (default 5000 ms). */
  closeTimeoutMs?: number;
  /** Told of each part that fails to close, as it happens. */
  onCloseFailure?: (failure: CloseFailure) => void;
}

/**
 * The lifecycle of a service's parts. Each part registers its closer as it starts; `close()`
 * closes them in reverse order, goes on past a closer that throws or hangs (each is bounded by a
 * timeout), and reports every failure at once. The closing promise is memoised, so a second
 * signal, or a failed start racing a shutdown, joins the first close. The same path serves a start
 * that fails half-way (`closeAfter`) and a normal shutdown.
 */
export class Scope {
  private readonly closers: Closer[] = [];
  private closing: Promise<void> | undefined;
  private readonly timeoutMs: number;

  constructor(private readonly options: ScopeOptions = {}) {
    this.timeoutMs = options.closeTimeoutMs ?? 5_000;
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /**
   * Registers a part's closer and returns the part. Registering on a closed scope closes the part
   * at once (a part started while a shutdown ran would otherwise leak). `timeoutMs` overrides the
   * scope's bound for this part (an HTTP server letting requests in flight finish needs longer).
   */
  add<T>(name: string, part: T, close: (part: T) => unknown, options: { timeoutMs?: number } = {}): T {
    const closer = { name, close: () => close(part), timeoutMs: options.timeoutMs };
    if (this.closing) void this.closeOne(closer).catch(() => undefined);
    else this.closers.push(closer);
    return part;
  }

  /** Registers a closer that has no part of its own (a timer, a flag). */
  defer(name: string, close: () => unknown): void {
    this.add(name, undefined, close);
  }

  /** Closes every registered part, last registered first; rejects with every failure once all were tried. */
  close(): Promise<void> {
    return (this.closing ??= this.closeAll());
  }

  /**
   * Runs the start of a service: when it throws, every part started so far is closed and the
   * start's error is thrown, not a close failure (those go to `onCloseFailure`).
   */
  async closeAfter<T>(start: () => Promise<T>): Promise<T> {
    try {
      return await start();
    } catch (error) {
      await this.close().catch(() => undefined);
      throw error;
    }
  }

  private async closeAll(): Promise<void> {
    const failures: CloseFailure[] = [];
    for (const closer of this.closers.splice(0).reverse()) {
      try {
        await this.closeOne(closer);
      } catch (error) {
        const failure = { name: closer.name, error };
        failures.push(failure);
        this.options.onCloseFailure?.(failure);
      }
    }
    if (failures.length > 0) throw new ScopeCloseError(failures);
  }

  private closeOne(closer: Closer): Promise<void> {
    return bounded(closer.name, closer.timeoutMs ?? this.timeoutMs, async () => void (await closer.close()));
  }
}

/** Runs `work`, rejecting with CloseTimeoutError when it takes longer than `timeoutMs` (the work itself is left to finish or not). */
export function bounded<T>(what: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  return raceTimeout(Promise.resolve().then(work), timeoutMs, () => {
    throw new CloseTimeoutError(what, timeoutMs);
  });
}
