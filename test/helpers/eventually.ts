/**
 * Checks a condition until it holds, failing after `timeoutMs` with `what`. Only for state that
 * no event announces (the connections Redis lists); everything else is awaited by event.
 */
export async function eventually(check: () => Promise<boolean>, what: () => string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
