import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import { CLI } from '../helpers/run-cli.js';
import { ApiEnv } from './helpers.js';

describe('api: insights token and insights api', function () {
  this.timeout(60_000);
  const env = new ApiEnv();
  before(() => env.setUp());
  after(() => env.tearDown());

  it('creates a token (printed once), lists it without the token, and revokes it', async () => {
    const created = await env.fleet.cli(['token', 'create', '--org', 'cli-org', '--name', 'reporting', '--json']);
    expect(created.status, created.stderr).to.equal(0);
    const token = JSON.parse(created.stdout) as { id: string; token: string; organization: string; name: string };
    expect(token).to.include({ organization: 'cli-org', name: 'reporting' });
    expect(token.token).to.match(/^oci_/);
    expect((await env.store.findToken(token.token))!.id).to.equal(token.id);

    const plain = await env.fleet.cli(['token', 'create', '--org', 'cli-org']);
    expect(plain.stdout.trim()).to.match(/^oci_[A-Za-z0-9_-]{43}$/);
    expect(plain.stderr).to.include('cannot be shown again');

    const listed = await env.fleet.cli(['token', 'list', '--org', 'cli-org', '--json']);
    const rows = JSON.parse(listed.stdout) as { id: string; revoked_at: string | null }[];
    expect(rows.map((r) => r.id)).to.include(token.id);
    expect(listed.stdout).to.not.include('oci_');

    const revoked = await env.fleet.cli(['token', 'revoke', token.id]);
    expect(revoked.status, revoked.stderr).to.equal(0);
    expect((await env.store.findToken(token.token))!.revokedAt).to.be.instanceOf(Date);
    const again = await env.fleet.cli(['token', 'revoke', token.id]);
    expect(again.status).to.equal(2);
    expect(again.stderr).to.include(`no active token ${token.id}`);
  });

  it('refuses an organisation name with control characters (exit 2), making no token', async () => {
    for (const org of ['evil\u001b[2Jorg', 'line\nbreak', 'bell\u0007org']) {
      const refused = await env.fleet.cli(['token', 'create', '--org', org]);
      expect(refused.status, org).to.equal(2);
      expect(refused.stderr).to.include('control characters are not allowed');
    }
    const listed = await env.db.query(`SELECT count(*)::int AS n FROM ${env.schema}.api_tokens WHERE organization ~ '[[:cntrl:]]'`);
    expect(listed.rows[0].n).to.equal(0);
  });

  it('refuses bad configuration listing every problem (exit 2)', async () => {
    const bad = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'api'], {
        env: env.fleet.env({ INSIGHTS_API_PORT: 'eighty', INSIGHTS_MAX_EMPLOYEES: '0' }),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('close', (status) => resolve({ status, stderr }));
    });
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.include('INSIGHTS_API_PORT').and.include('INSIGHTS_MAX_EMPLOYEES');
  });

  it('runs `insights api` until SIGTERM, serving health, then exits 0', async () => {
    const child = spawn(process.execPath, [CLI, 'api'], {
      env: env.fleet.env({ INSIGHTS_API_PORT: '0', INSIGHTS_API_HOST: '127.0.0.1', INSIGHTS_METRICS_PORT: '0', INSIGHTS_METRICS_HOST: '127.0.0.1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Record<string, unknown>[] = [];
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (text) => {
        const line = JSON.parse(text) as Record<string, unknown>;
        lines.push(line);
        if (line.msg === 'api ready') resolve(line);
      });
      child.on('close', (code) => reject(new Error(`insights api exited (${code}) before it was ready: ${JSON.stringify(lines)}`)));
    });
    const { port, metrics_port: metricsPort } = (await ready) as { port: number; metrics_port: number };
    const health = await fetch(`http://127.0.0.1:${port}/api/health/ready`);
    expect(health.status).to.equal(200);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).to.equal(200);
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
    expect(lines.map((l) => l.msg)).to.include('api stopped');
  });
});
