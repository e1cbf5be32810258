import { expect } from 'chai';
import { FleetEnv } from './helpers/fleet.js';
import { syntheticCsv } from './helpers/synthetic-csv.js';

describe('insights submit --wait, result and status (real Redis, PostgreSQL and worker processes)', function () {
  this.timeout(120_000);
  const fleet = new FleetEnv();

  before(() => fleet.setUp());
  afterEach(() => fleet.reset());
  after(() => fleet.tearDown());

  it('prints the job id at once, warns that no worker has taken it, and gives up after --timeout', async () => {
    const file = fleet.files.write('waiting.csv', syntheticCsv(40, 3));
    const run = await fleet.cli(['submit', 'cluster', file, '--clusters', '2', '--wait', '--timeout', '3', '--warn-after', '1']);
    expect(run.status, run.stderr).to.equal(1);
    expect(run.stdout).to.equal('');
    const lines = run.stderr.trim().split('\n');
    const id = /^job (\S+) submitted \(organisation default\)$/.exec(lines[0]!)?.[1];
    expect(id, run.stderr).to.be.a('string');
    expect(run.stderr).to.include(`job ${id}: waiting`);
    expect(run.stderr).to.match(new RegExp(`warning: no worker has taken job ${id} after \\d+ s: is one running\\?`));
    expect(run.stderr).to.include(`job ${id} had not finished after 3 s (waiting); it goes on`);
    // The job itself is still queued.
    const status = await fleet.cli(['status', id!]);
    expect(status.stdout).to.equal(`${id} clustering waiting\n`);
  });

  it('warns about a team formation whose clustering no worker has taken', async () => {
    const file = fleet.files.write('teams.csv', syntheticCsv(40, 4));
    const run = await fleet.cli(['submit', 'teams', file, '--clusters', '2', '--teams', '4', '--wait', '--timeout', '3', '--warn-after', '1']);
    expect(run.status, run.stderr).to.equal(1);
    const id = /^job (\S+) submitted/.exec(run.stderr)?.[1];
    expect(run.stderr).to.include(`job ${id}: waiting-children`);
    expect(run.stderr).to.match(new RegExp(`warning: no worker has taken job ${id} after \\d+ s`));
  });

  it('shows each stage as a plain line when not on a terminal, prints the result, and finds it again without --org', async () => {
    await fleet.startWorker();
    const file = fleet.files.write('people.csv', syntheticCsv(60, 5));
    const run = await fleet.cli(['submit', 'teams', file, '--org', 'acme', '--clusters', '3', '--teams', '6', '--wait', '--warn-after', '60']);
    expect(run.status, run.stderr).to.equal(0);
    const id = /^job (\S+) submitted \(organisation acme\)$/m.exec(run.stderr)?.[1];
    expect(id, run.stderr).to.be.a('string');
    // One plain line per change seen (how many depends on when the polls fall), each `job ID: state[, stage S] (N%)`.
    for (const line of run.stderr.trim().split('\n').slice(1)) expect(line).to.match(new RegExp(`^job ${id}: [a-z-]+(, stage \\w+)? \\(\\d+%\\)$`));
    expect(run.stderr).to.match(new RegExp(`^job ${id}: completed, stage saving \\(83%\\)$`, 'm'));
    expect(run.stderr).not.to.include('warning');
    expect(JSON.parse(run.stdout)).to.have.property('teams').with.length(6);

    // `result` finds the organisation from the job id; a wrong --org says which to give.
    const result = await fleet.cli(['result', id!]);
    expect(result.status, result.stderr).to.equal(0);
    expect(JSON.parse(result.stdout)).to.have.property('teams').with.length(6);
    const wrong = await fleet.cli(['result', id!, '--org', 'default']);
    expect(wrong.status).to.equal(2);
    expect(wrong.stderr).to.include(`job ${id} is not organisation default's: give --org acme, or leave --org out`);
    const unknown = await fleet.cli(['result', 'no-such-job']);
    expect(unknown.status).to.equal(2);
    expect(unknown.stderr).to.include('no job no-such-job: neither a stored result nor a queued job has this id');
  });
});
