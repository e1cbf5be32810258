import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApi, type RunningApi } from '@insights/api';
import { WHEEL_TYPES } from '@insights/core';
import { ApiEnv } from '../api/helpers.js';
import { launchChromium, watch, type PageWatch } from '../helpers/chromium.js';
import { screenshotsDir } from '../helpers/screenshots.js';

const ADMIN_TOKEN = 'browser-test-admin-token-0123456789';
const PEOPLE_CSV = readFileSync(new URL('../../examples/people.csv', import.meta.url), 'utf8');
const PEOPLE = PEOPLE_CSV.trim().split('\n').length - 1;
const VIEWPORT = { width: 1200, height: 900 };

/** Marks of the wheel that the browser lays out with a size, inside the wheel's own box. */
async function visibleMarks(page: Page): Promise<number> {
  return page.locator('svg.wheel').evaluate((wheel) => {
    const box = wheel.getBoundingClientRect();
    const marks = [...wheel.querySelectorAll('g.people use')];
    return marks.filter((mark) => {
      const r = mark.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
    }).length;
  });
}

/**
 * The names of the job actions the queue view offers: its icon buttons name themselves only in a
 * tooltip (Base UI), so each is hovered and its tooltip read.
 */
async function jobActions(page: Page): Promise<string[]> {
  const names = new Set<string>();
  for (const button of await page.locator('[data-base-ui-tooltip-trigger] > button').all()) {
    if (!(await button.isVisible())) continue;
    await button.hover();
    const tooltip = page.locator('[role="tooltip"], [data-side]');
    await tooltip.first().waitFor({ state: 'visible', timeout: 5_000 });
    for (const text of await tooltip.allTextContents()) names.add(text.trim());
    await page.mouse.move(0, 0);
    await tooltip.first().waitFor({ state: 'hidden', timeout: 5_000 });
  }
  return [...names];
}

/** Every element the locator matches is visible (and there are `count` of them). */
async function allVisible(page: Page, selector: string, count: number): Promise<void> {
  const found = await page.locator(selector).all();
  expect(found, selector).to.have.length(count);
  for (const [i, element] of found.entries()) expect(await element.isVisible(), `${selector} #${i}`).to.equal(true);
}

describe('reports and the queue view in headless Chromium', function () {
  this.timeout(240_000);
  const env = new ApiEnv();
  const { dir, temporary } = screenshotsDir();
  let running: RunningApi;
  let writable: RunningApi;
  let browser: Browser;
  let api: string;
  let admin: string;
  let token: string;
  let job: { id: string; clustering_job_id: string };
  let result: { k: number; teams: unknown[] };

  before(async () => {
    await env.setUp();
    const silent = { log: pino({ level: 'silent' }), audit: pino({ level: 'silent' }) };
    running = await startApi(env.listeningConfig({ INSIGHTS_ADMIN_TOKEN: ADMIN_TOKEN }), silent);
    // The same fleet with a writable queue view: what the read-only one must not offer.
    writable = await startApi(env.listeningConfig({ INSIGHTS_ADMIN_TOKEN: ADMIN_TOKEN, INSIGHTS_ADMIN_WRITE: 'true' }), silent);
    api = `http://127.0.0.1:${running.port}`;
    admin = `http://127.0.0.1:${running.metricsPort}/admin/queues`;
    token = (await env.token('browser')).token;
    await env.worker();
    const submitted = await fetch(`${api}/api/v1/jobs/team-formation?team_size=5-7`, {
      method: 'POST',
      body: PEOPLE_CSV,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    });
    expect(submitted.status, await submitted.clone().text()).to.equal(202);
    job = (await submitted.json()) as typeof job;
    await env.fleet.client.waitForResult(job.id, 180_000);
    result = (await (await fetch(`${api}/api/v1/jobs/${job.id}/result`, { headers: { authorization: `Bearer ${token}` } })).json()) as typeof result;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await running?.stop();
    await writable?.stop();
    await env.tearDown();
    if (temporary) rmSync(dir, { recursive: true, force: true });
  });

  /** A page of its own context, at the screenshot viewport. */
  async function open(options: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page; seen: PageWatch }> {
    const context = await browser.newContext({ viewport: VIEWPORT, ...options });
    const page = await context.newPage();
    return { context, page, seen: watch(page) };
  }

  /** Opens a report through the API with the bearer token, checking what every report shows. */
  async function openReport(query: string): Promise<{ context: BrowserContext; page: Page; seen: PageWatch }> {
    const opened = await open();
    await opened.page.setExtraHTTPHeaders({ authorization: `Bearer ${token}` });
    const response = await opened.page.goto(`${api}/api/v1/jobs/${job.id}/report${query}`, { waitUntil: 'load' });
    expect(response?.status()).to.equal(200);
    const { page } = opened;
    expect(await page.locator('svg.wheel').isVisible(), 'the wheel').to.equal(true);
    expect(await page.locator('svg.wheel g.people use').count()).to.equal(PEOPLE);
    expect(await visibleMarks(page), 'person marks laid out inside the wheel').to.equal(PEOPLE);
    const sectors = page.locator('svg.wheel g.labels tspan.type');
    expect(await sectors.allTextContents()).to.have.members([...WHEEL_TYPES]);
    await allVisible(page, 'svg.wheel g.labels tspan.type', 8);
    await allVisible(page, 'article.card.cluster', result.k);
    return opened;
  }

  function expectQuiet(seen: PageWatch): void {
    expect(seen.errors, 'console errors').to.deep.equal([]);
    expect(seen.requests.length, 'requests').to.be.greaterThan(0);
    expect(seen.external, 'requests that left 127.0.0.1').to.deep.equal([]);
  }

  it('shows the clustering report: the wheel with every person, the eight sectors and every cluster card', async () => {
    const { context, page, seen } = await openReport('?view=clustering');
    expect(await page.locator('article.card.team').count()).to.equal(0);
    expect(await page.locator('h1').textContent()).to.equal('Clusters');
    await page.screenshot({ path: join(dir, 'report-clusters.png') });
    expectQuiet(seen);
    await context.close();
  });

  it('shows the teams report: every team card, then the wheel and the clusters', async () => {
    const { context, page, seen } = await openReport('');
    await allVisible(page, 'article.card.team', result.teams.length);
    expect(await page.locator('h1').textContent()).to.equal('Teams');
    await page.screenshot({ path: join(dir, 'report-teams.png') });
    expectQuiet(seen);
    await context.close();
  });

  it('shows both queues and their completed jobs to an operator who logs in, with no way to change them', async () => {
    const { context, page, seen } = await open({ httpCredentials: { username: 'operator', password: ADMIN_TOKEN } });
    // bull-board's page asks Google Fonts for its typeface; the test keeps everything local.
    await context.route(
      (url) => url.hostname !== '127.0.0.1',
      (route) => route.abort(),
    );
    const response = await page.goto(admin, { waitUntil: 'load' });
    expect(response?.status()).to.equal(200);
    for (const name of ['clustering', 'team-formation']) {
      await page.getByRole('link', { name }).first().waitFor({ state: 'visible', timeout: 20_000 });
    }
    await page.goto(`${admin}/queue/clustering?status=completed`, { waitUntil: 'load' });
    await page.getByText(job.clustering_job_id).first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.goto(`${admin}/queue/team-formation?status=completed`, { waitUntil: 'load' });
    await page.getByText(job.id).first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.screenshot({ path: join(dir, 'queue-view.png') });
    const WRITES = /retry|clean|duplicate|update|promote|remove|add job|empty|pause|obliterate/i;
    expect(
      (await jobActions(page)).filter((name) => WRITES.test(name)),
      'job actions offered read-only',
    ).to.deep.equal([]);
    expect(await page.getByRole('button', { name: WRITES }).count(), 'buttons named after a change').to.equal(0);
    expect(
      seen.errors.filter((e) => e.startsWith('uncaught')),
      'uncaught errors',
    ).to.deep.equal([]);
    expect(
      seen.external.every((url) => /^https:\/\/fonts\.(googleapis|gstatic)\.com\//.test(url)),
      seen.external.join(', '),
    ).to.equal(true);
    await context.close();

    const control = await open({ httpCredentials: { username: 'operator', password: ADMIN_TOKEN } });
    await control.context.route(
      (url) => url.hostname !== '127.0.0.1',
      (route) => route.abort(),
    );
    await control.page.goto(`http://127.0.0.1:${writable.metricsPort}/admin/queues/queue/team-formation?status=completed`, { waitUntil: 'load' });
    await control.page.getByText(job.id).first().waitFor({ state: 'visible', timeout: 20_000 });
    expect(await jobActions(control.page), 'the same view, writable').to.include.members(['Retry', 'Clean']);
    await control.context.close();
  });
});
