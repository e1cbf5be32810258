/** What the limiter knows of one client address in the current window. */
interface AddressWindow {
  start: number;
  /** Refusals counted in this window (audited one by one up to the limit). */
  refused: number;
  /** Refusals past the limit: answered 429 and audited together when the window ends. */
  suppressed: number;
}

/** One aggregate of refusals not audited one by one. */
export interface SuppressedRefusals {
  address: string;
  count: number;
}

/**
 * Refused authentications per client address, in fixed windows, in memory (per API process: a
 * flood is one client hammering one replica's socket, and counting it in Redis would put Redis on
 * the path of every refusal). Past `max` refusals in a window an address is limited until the
 * window ends; its further refusals are counted, not audited one by one, and handed out as one
 * aggregate when the window ends. At most `maxAddresses` addresses are tracked; the oldest go
 * first (their aggregates with them).
 */
export class RefusalLimiter {
  private readonly windows = new Map<string, AddressWindow>();
  private readonly ended: SuppressedRefusals[] = [];
  private lastSweep = 0;

  constructor(
    private readonly max: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
    private readonly maxAddresses = 10_000,
  ) {}

  /** Seconds until the address may be refused again without limit, or 0 when it is not limited. */
  retryAfter(address: string): number {
    const window = this.current(address);
    if (window === undefined || window.refused < this.max) return 0;
    return Math.max(1, Math.ceil((window.start + this.windowMs - this.now()) / 1000));
  }

  /** Counts a refusal; true when it is to be audited on its own (the address is not limited yet). */
  refuse(address: string): boolean {
    let window = this.current(address);
    if (window === undefined) {
      window = { start: this.now(), refused: 0, suppressed: 0 };
      this.windows.set(address, window);
      if (this.windows.size > this.maxAddresses) this.evict(this.windows.keys().next().value!);
    }
    if (window.refused < this.max) {
      window.refused++;
      return true;
    }
    window.suppressed++;
    return false;
  }

  /** The aggregates of windows found ended since the last call (windows are checked at most once a second). */
  takeEnded(): SuppressedRefusals[] {
    this.sweep();
    return this.ended.splice(0);
  }

  private current(address: string): AddressWindow | undefined {
    this.sweep();
    const window = this.windows.get(address);
    if (window !== undefined && this.now() - window.start >= this.windowMs) {
      this.evict(address);
      return undefined;
    }
    return window;
  }

  /** Ends the windows that are over, at most once a second. */
  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < 1000) return;
    this.lastSweep = now;
    for (const [address, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.evict(address);
    }
  }

  private evict(address: string): void {
    const window = this.windows.get(address);
    this.windows.delete(address);
    if (window !== undefined && window.suppressed > 0) this.ended.push({ address, count: window.suppressed });
  }
}
