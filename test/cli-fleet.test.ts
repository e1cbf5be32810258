import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { FleetEnv } from './helpers/fleet.js';
import { freePort } from './helpers/processes.js';
import { CLI } from './helpers/run-cli.js';

const SAMPLE = fileURLToPath(new URL('../examples/people.csv', import.meta.url));

/** Free ports for the API, its metrics, the exporter and two workers (consecutive from the fourth). */
async function portFlags(): Promise<string[]> {
  const [api, metrics, exporter] = [await freePort(), await freePort(), await freePort()];
  // Workers take consecutive ports: pick a base whose next port is free too, as far as one can tell.
  let worker = await freePort();
  while (worker >= 65_000) worker = await freePort();
  return ['--api-port', String(api), '--metrics-port', String(metrics), '--exporter-port', String(exporter), '--worker-port', String(worker)];
}

describe('insights fleet', function () {
  this.timeout(120_000);
  const fleet = new FleetEnv();

  before(() => fleet.setUp());
  afterEach(() => fleet.reset());
  after(() => fleet.tearDown());

  it('runs the API, the exporter and two workers, submits the sample through the API and prints clusters and teams', async () => {
    const run = await fleet.cli(['fleet', '--submit', SAMPLE, '--team-size', '5-7', ...(await portFlags())]);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^300 people in 4 clusters · method hybrid · seed 42/);
    expect(run.stdout).to.match(/43 teams · balance mean/);
    expect(run.stdout).to.include('Director');
    for (const member of ['api', 'exporter', 'worker-1', 'worker-2']) {
      expect(run.stderr, member).to.match(new RegExp(`^\\[${member}\\] \\{`, 'm'));
    }
    expect(run.stderr).to.match(/^fleet ready: API http:\/\/127\.0\.0\.1:\d+/m);
    // Each member drained and stopped (SIGTERM), none was killed.
    expect(run.stderr).to.match(/^\[api\] .*"msg":"api stopped"/m);
    expect(run.stderr.match(/"msg":"worker stopped"/g)).to.have.length(2);
    expect(run.stderr).to.match(/^\[exporter\] .*"msg":"exporter stopped"/m);
  });

  it('stops every member on Ctrl-C (SIGINT) and exits 0', async () => {
    const child = spawn(process.execPath, [CLI, 'fleet', '--workers', '1', ...(await portFlags())], { env: fleet.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const ready = new Promise<void>((resolve) => {
      createInterface({ input: child.stderr }).on('line', (line) => {
        lines.push(line);
        if (line.startsWith('Ctrl-C stops the fleet')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await Promise.race([ready, exited.then((code) => Promise.reject(new Error(`fleet exited (${code}) before it was ready:\n${lines.join('\n')}`)))]);
    expect(lines.join('\n')).to.match(/token for organisation local \(revoked when the fleet stops\): oci_/);
    child.kill('SIGINT');
    expect(await exited).to.equal(0);
    const output = lines.join('\n');
    expect(output).to.include('stopping the fleet: SIGINT');
    expect(output).to.match(/\[worker-1\] .*"msg":"worker stopped"/);
    expect(output).to.match(/\[api\] .*"msg":"api stopped"/);
  });

  it('stops the rest and exits 1 when a member dies on its own', async () => {
    const child = spawn(process.execPath, [CLI, 'fleet', '--workers', '1', ...(await portFlags())], { env: fleet.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let workerPid: number | undefined;
    const ready = new Promise<void>((resolve) => {
      createInterface({ input: child.stderr }).on('line', (line) => {
        lines.push(line);
        const ownLine = /^\[worker-1\] (\{.*\})$/.exec(line);
        if (ownLine && workerPid === undefined) workerPid = (JSON.parse(ownLine[1]!) as { pid: number }).pid;
        if (line.startsWith('Ctrl-C stops the fleet')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await Promise.race([ready, exited.then((code) => Promise.reject(new Error(`fleet exited (${code}) before it was ready:\n${lines.join('\n')}`)))]);
    expect(workerPid).to.be.a('number');
    process.kill(workerPid!, 'SIGKILL');
    expect(await exited).to.equal(1);
    expect(lines.join('\n')).to.include('stopping the fleet: worker-1 exited (SIGKILL)');
    expect(lines.join('\n')).to.match(/\[api\] .*"msg":"api stopped"/);
  });

  it('says which service is missing, how to start it, and what runs without it', async () => {
    const unreachable = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'fleet', '--submit', SAMPLE, '--team-size', '5-7'], {
        env: fleet.env({ REDIS_URL: 'redis://127.0.0.1:1' }),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('close', (status) => resolve({ status, stderr }));
    });
    expect(unreachable.status).to.equal(2);
    expect(unreachable.stderr).to.match(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
    expect(unreachable.stderr).to.include('scripts/ensure-services.sh');
    expect(unreachable.stderr).to.include(`insights teams ${SAMPLE} --team-size 5-7`);
  });

  it('refuses --submit without a team size before starting anything', async () => {
    const run = await fleet.cli(['fleet', '--submit', SAMPLE]);
    expect(run.status).to.equal(2);
    expect(run.stderr).to.include('--submit needs either --team-size MIN-MAX or --teams N');
    expect(run.stderr).not.to.include('[api]');
  });
});
