/**
 * Settles as `work` does, or — when `timeoutMs` passes first — as `late()` does: its value, or
 * the error it throws. The timer is cleared either way, so that a finished race keeps no process
 * alive; `work` itself is left to finish or not (a promise cannot be cancelled).
 */
export function raceTimeout<T, L = never>(work: Promise<T>, timeoutMs: number, late: () => L): Promise<T | L> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<L>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(late());
      } catch (error) {
        reject(error as Error);
      }
    }, timeoutMs);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
