import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parseXml, personMarks, svgsOf } from '../../packages/report/src/testing.ts';
import { FleetEnv } from '../helpers/fleet.js';

const ORG = 'acme';
const PEOPLE_CSV = readFileSync(new URL('../../examples/people.csv', import.meta.url), 'utf8');
const IDS = PEOPLE_CSV.trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',')[0]!);

function wheelMarks(report: string): number {
  const wheel = svgsOf(report).find((svg) => svg.includes('class="wheel"'));
  expect(wheel, 'a wheel').to.be.a('string');
  return personMarks(parseXml(wheel!)).length;
}

describe('insights result ID --format html (real Redis, PostgreSQL and a worker)', function () {
  this.timeout(120_000);
  const fleet = new FleetEnv();
  before(() => fleet.setUp());
  after(() => fleet.tearDown());

  it('reports a stored team formation, placing everyone from the stored data set, and with pseudonyms on request', async () => {
    await fleet.startWorker();
    const { id } = await fleet.client.submitTeamFormation(
      ORG,
      { text: PEOPLE_CSV },
      { teams: 40 },
      { options: { method: 'kmeans', clusters: 4, stabilityRuns: 0 } },
    );
    await fleet.client.waitForResult(id, 60_000);

    const plain = await fleet.cli(['result', id, '--org', ORG, '--format', 'html']);
    expect(plain.status, plain.stderr).to.equal(0);
    expect(wheelMarks(plain.stdout)).to.equal(IDS.length);
    expect(plain.stdout.match(/<article class="card team/g)).to.have.length(40);
    expect(plain.stdout).to.include('<title>E001 · cluster ');

    const hidden = await fleet.cli(['result', id, '--org', ORG, '--format', 'html', '--anonymise']);
    expect(hidden.status, hidden.stderr).to.equal(0);
    expect(wheelMarks(hidden.stdout)).to.equal(IDS.length);
    const rest = hidden.stdout.replace(/Person [0-9A-F]{4,}/g, '');
    for (const employee of IDS) expect(rest).not.to.match(new RegExp(`\\b${employee}\\b`));

    const otherOrg = await fleet.cli(['result', id, '--org', 'someone-else', '--format', 'html']);
    expect(otherOrg.status).to.equal(2);
    expect(otherOrg.stdout).to.equal('');
  });
});
