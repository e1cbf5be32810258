import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where screenshots go: INSIGHTS_SCREENSHOTS_DIR (`npm run screenshots` sets docs/img), else a
 * fresh temporary directory, to be removed afterwards, so that `npm test` leaves the working tree
 * as it was.
 */
export function screenshotsDir(): { dir: string; temporary: boolean } {
  const wanted = process.env.INSIGHTS_SCREENSHOTS_DIR;
  if (wanted === undefined || wanted === '') return { dir: mkdtempSync(join(tmpdir(), 'insights-screenshots-')), temporary: true };
  const dir = resolve(wanted);
  mkdirSync(dir, { recursive: true });
  return { dir, temporary: false };
}
