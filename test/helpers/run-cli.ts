import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The `insights` command as npm links it (it runs the build, so tests run after `npm run build`). */
export const CLI = fileURLToPath(new URL('../../packages/cli/bin/insights.js', import.meta.url));

/** What a finished command printed and how it exited. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `insights ARGS…`, optionally feeding standard input, and waits for it to exit. */
export function runCli(args: string[], input?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}
