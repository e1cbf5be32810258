import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { clusterProfiles, formTeams, generateSynthetic, parseProfiles, type ProfileSet } from '@insights/core';
import { labelsFromColumn, renderTeamsReport, type TeamsResult } from '@insights/report';
import { launchChromium, watch } from '../helpers/chromium.js';
import { screenshotsDir } from '../helpers/screenshots.js';

const PEOPLE = 5000;
const DEPARTMENTS = ['Sales', 'Finance', 'Engineering', 'People', 'Legal'];

/** 5,000 synthetic people with a department and a name column, as an HR export would have them. */
function population(): ProfileSet {
  const synthetic = generateSynthetic('overlapping', PEOPLE, 11);
  const lines = ['employee_id,red_energy,blue_energy,green_energy,yellow_energy,department,name'];
  synthetic.ids.forEach((id, i) => {
    const e = Array.from(synthetic.energies.subarray(4 * i, 4 * i + 4));
    lines.push([id, ...e, DEPARTMENTS[i % DEPARTMENTS.length], `Person ${i}`].join(','));
  });
  return parseProfiles(lines.join('\n'), { format: 'csv' });
}

describe('a 5,000-person team report in headless Chromium', function () {
  this.timeout(120_000);
  const { dir, temporary } = screenshotsDir();
  let browser: Browser;
  let page: Page;
  let seen: ReturnType<typeof watch>;
  let result: TeamsResult;

  before(async () => {
    const profiles = population();
    const clustering = clusterProfiles(profiles, { method: 'kmeans', clusters: 5, seed: 3, stabilityRuns: 0 });
    const labels = Int32Array.from(clustering.assignments, (a) => a.cluster);
    result = { ...clustering, ...formTeams(profiles, labels, { teamSize: [6, 8], spreadBy: 'department', seed: 3 }) };
    const html = renderTeamsReport(result, { people: profiles, labels: labelsFromColumn(profiles, 'name') });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    seen = watch(page);
    await page.setContent(html, { waitUntil: 'load' });
  });
  after(async () => {
    await browser?.close();
    if (temporary) rmSync(dir, { recursive: true, force: true });
  });

  it('opens with the section links, the filter box and an overview row per team', async () => {
    expect(await page.locator('nav.toc a').allTextContents()).to.include.members(['Teams at a glance', 'Team cards', 'Clusters']);
    expect(await page.locator('#filter').isVisible(), 'the filter script ran under the page’s content security policy').to.equal(true);
    expect(await page.locator('#team-overview tbody tr').count()).to.equal(result.teams.length);
    expect(await page.locator('article.card.team').count()).to.equal(result.teams.length);
    await page.screenshot({ path: join(dir, 'report-teams-5000.png') });
  });

  it('filters the overview and the cards to the team of the person typed', async () => {
    const team = result.teams[41]!;
    const member = result.assignments.findIndex((a) => a.employee_id === team.members[0]);
    expect(member).to.be.at.least(0);
    await page.locator('#filter-input').fill(team.members[0]!.toLowerCase());
    expect(await page.locator('article.card.team:visible').count()).to.equal(1);
    expect(await page.locator(`article#team-${team.id}`).isVisible()).to.equal(true);
    expect(await page.locator('#team-overview tbody tr:visible').count()).to.equal(1);
    expect(await page.locator('#filter-count').textContent()).to.equal('1 team matches');
    await page.locator('#filter-input').fill('');
    expect(await page.locator('article.card.team:visible').count()).to.equal(result.teams.length);
  });

  it('jumps to a team’s card from its overview row', async () => {
    const team = result.teams.at(-1)!;
    await page.locator(`#team-overview a[href="#team-${team.id}"]`).click();
    await page.waitForURL((url) => url.hash === `#team-${team.id}`);
    expect(await page.locator(`article#team-${team.id}`).isVisible()).to.equal(true);
    expect(await page.locator(`article#team-${team.id}`).textContent()).to.match(/Spread(Sales|Finance|Engineering|People|Legal) \d/);
  });

  it('made no request and logged no error', () => {
    expect(seen.errors, 'console errors (a refused script would show here)').to.deep.equal([]);
    expect(seen.external).to.deep.equal([]);
  });
});
