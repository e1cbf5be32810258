import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
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

/** Listens on `port` of 127.0.0.1 (0: any), or resolves undefined when something else already does. */
function occupy(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host: '127.0.0.1' }, () => resolve(server));
  });
}

describe('insights fleet', function () {
  this.timeout(120_000);
  const fleet = new FleetEnv();

  before(() => fleet.setUp());
  afterEach(() => fleet.reset());
  after(() => fleet.tearDown());

  it('runs the API, the exporter and two workers, submits the sample through the API and prints clusters and teams, its members logging to a file', async () => {
    const run = await fleet.cli(['fleet', '--submit', SAMPLE, '--team-size', '5-7', ...(await portFlags())]);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^300 people in 4 clusters · method hybrid · seed 42/);
    expect(run.stdout).to.match(/43 teams · balance mean/);
    expect(run.stdout).to.include('Director');
    // The terminal shows where the logs are, readiness and shutdown; the members' lines are in the file.
    const logPath = /^fleet logs: (\S+) \(--verbose shows them here\)$/m.exec(run.stderr)?.[1];
    expect(logPath, run.stderr).to.be.a('string');
    expect(run.stderr).to.match(/^fleet ready: API http:\/\/127\.0\.0\.1:\d+/m);
    expect(run.stderr).to.match(/^fleet stopped$/m);
    expect(run.stderr).not.to.match(/^\[(api|exporter|worker-\d)\]/m);
    const log = readFileSync(logPath!, 'utf8');
    rmSync(logPath!);
    for (const member of ['api', 'exporter', 'worker-1', 'worker-2']) {
      expect(log, member).to.match(new RegExp(`^\\[${member}\\] \\{`, 'm'));
    }
    // Each member drained and stopped (SIGTERM), none was killed.
    expect(log).to.match(/^\[api\] .*"msg":"api stopped"/m);
    expect(log.match(/"msg":"worker stopped"/g)).to.have.length(2);
    expect(log).to.match(/^\[exporter\] .*"msg":"exporter stopped"/m);
  });

  it('submits a JSON file in the API\'s {"employees": […]} shape, and shows the logs with --verbose', async () => {
    const csv = readFileSync(SAMPLE, 'utf8').trim().split('\n');
    const header = csv[0]!.split(',');
    const employees = csv.slice(1).map((line) => Object.fromEntries(line.split(',').map((value, i) => [header[i]!, value])));
    const file = fleet.files.write('people.json', JSON.stringify({ employees }));
    const run = await fleet.cli(['fleet', '--workers', '1', '--verbose', '--submit', file, '--team-size', '5-7', ...(await portFlags())]);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^300 people in 4 clusters · method hybrid · seed 42/);
    expect(run.stdout).to.match(/43 teams · balance mean/);
    expect(run.stderr).not.to.include('fleet logs:');
    expect(run.stderr).to.match(/^\[api\] .*"msg":"api stopped"/m);
  });

  it('refuses a given port that is taken, before starting anything', async () => {
    const taken = (await occupy(0))!;
    const port = (taken.address() as { port: number }).port;
    try {
      const run = await fleet.cli(['fleet', '--api-port', String(port), '--workers', '1']);
      expect(run.status).to.equal(2);
      expect(run.stderr).to.include(`port ${port} for the API (--api-port) is taken`);
      expect(run.stderr).not.to.include('fleet ready');
      expect(run.stderr).not.to.include('fleet logs');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('with no ports given and the usual API port taken, picks free ones, prints them, and stops every member on Ctrl-C (SIGINT)', async () => {
    // 8000 is the usual API port: held here, or already taken by something else; either way taken.
    const held = await occupy(8000);
    const child = spawn(process.execPath, [CLI, 'fleet', '--workers', '1', '--verbose'], { env: fleet.env(), stdio: ['ignore', 'pipe', 'pipe'] });
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
    const moved = /the API on (\d+) \(not 8000\)/.exec(lines.join('\n'));
    expect(moved, lines.join('\n')).not.to.equal(null);
    expect(lines.join('\n')).to.include(`fleet ready: API http://127.0.0.1:${moved![1]} `);
    const health = await fetch(`http://127.0.0.1:${moved![1]}/api/health/ready`);
    expect(health.status).to.equal(200);
    await new Promise((resolve) => (held ? held.close(resolve) : resolve(undefined)));
    child.kill('SIGINT');
    expect(await exited).to.equal(0);
    const output = lines.join('\n');
    expect(output).to.include('stopping the fleet: SIGINT');
    expect(output).to.match(/\[worker-1\] .*"msg":"worker stopped"/);
    expect(output).to.match(/\[api\] .*"msg":"api stopped"/);
  });

  it('stops the rest and exits 1 when a member dies on its own', async () => {
    const child = spawn(process.execPath, [CLI, 'fleet', '--workers', '1', '--verbose', ...(await portFlags())], {
      env: fleet.env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
