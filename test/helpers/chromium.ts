import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, which `scripts/ensure-test-tools.sh` installs. */
const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless Chromium with everything that would reach out of this machine turned off (background
 * networking, component updates, sync), as the tests need it: no request may leave 127.0.0.1.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: install it with \`apt-get install chromium\` (npm test's set-up does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** What a page did: console errors, uncaught exceptions, and every request, with those that left 127.0.0.1. */
export interface PageWatch {
  errors: string[];
  requests: string[];
  external: string[];
}

/** Starts recording what `page` does; read the returned object after the page has run. */
export function watch(page: Page): PageWatch {
  const seen: PageWatch = { errors: [], requests: [], external: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(message.text());
  });
  page.on('pageerror', (error) => seen.errors.push(`uncaught: ${error.message}`));
  page.on('request', (request) => {
    seen.requests.push(request.url());
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.hostname !== '127.0.0.1') seen.external.push(request.url());
  });
  return seen;
}
