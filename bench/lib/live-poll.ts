import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { round } from './report.ts';

/** A figure of a process's memory from /proc, in MB: its peak (`VmHWM`) or current (`VmRSS`) resident size. */
export function processMemoryMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return round((Number(match![1]) * 1024) / 1e6, 1);
}

/**
 * Polls the API's /api/health/live back to back (10 ms apart) from a thread of its own until
 * `stop()`, so that the latencies are the API's and not this process's, busy sending bodies.
 */
export function pollLive(port: number): { stop(): Promise<number[]> } {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const http = require('node:http');
    let running = true;
    const times = [];
    parentPort.on('message', () => { running = false; });
    (async () => {
      while (running) {
        const started = performance.now();
        await new Promise((resolve, reject) => http.get({ host: '127.0.0.1', port: workerData, path: '/api/health/live', agent: false }, (r) => r.resume().on('end', resolve)).on('error', reject));
        times.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      parentPort.postMessage(times);
    })();
  `;
  const thread = new Worker(code, { eval: true, workerData: port });
  return {
    async stop() {
      thread.postMessage('stop');
      const [times] = (await once(thread, 'message')) as [number[]];
      await thread.terminate();
      return times;
    },
  };
}
