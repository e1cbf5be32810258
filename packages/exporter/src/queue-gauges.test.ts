import { expect } from 'chai';
import { Registry } from 'prom-client';
import { registerQueueGauges } from './queue-gauges.js';
import type { QueueState } from './queue-state.js';
import { createSnapshotSource } from './snapshot.js';

const NOW = 1_700_000_000_000;

function state(waiting: number, active: number, oldest: number | null, workers: number, paused = false, activeSince: number | null = null): QueueState {
  return {
    counts: { waiting, active, delayed: 1, prioritized: 2, 'waiting-children': 0, failed: 3, completed: 4 },
    oldestWaitingTimestamp: oldest,
    oldestActiveProcessedOn: activeSince,
    workers,
    paused,
  };
}

describe('queue gauges', () => {
  let reads = 0;
  let answer: () => Promise<Map<string, QueueState>>;
  let registry: Registry;
  beforeEach(() => {
    reads = 0;
    registry = new Registry();
    const snapshot = createSnapshotSource({
      read: () => {
        reads++;
        return answer();
      },
      timeoutMs: 50,
      now: () => NOW,
    });
    registerQueueGauges({ registry, snapshot, queues: ['clustering', 'team-formation'] });
  });

  it('reads Redis once per scrape and reports every queue', async () => {
    answer = async () =>
      new Map([
        ['clustering', state(5, 2, NOW - 90_000, 3, false, NOW - 42_500)],
        ['team-formation', state(0, 0, null, 1)],
      ]);
    const text = await registry.metrics();
    expect(reads, 'one read shared by every gauge').to.equal(1);
    expect(text).to.include('insights_exporter_up 1\n');
    expect(text).to.include('insights_queue_jobs{queue="clustering",state="waiting"} 5\n');
    expect(text).to.include('insights_queue_jobs{queue="team-formation",state="completed"} 4\n');
    expect(text).to.include('insights_queue_oldest_waiting_age_seconds{queue="clustering"} 90\n');
    expect(text).to.include('insights_queue_oldest_waiting_age_seconds{queue="team-formation"} 0\n');
    expect(text).to.include('insights_queue_oldest_active_age_seconds{queue="clustering"} 42.5\n');
    expect(text).to.include('insights_queue_oldest_active_age_seconds{queue="team-formation"} 0\n');
    expect(text).to.include('insights_queue_workers{queue="clustering"} 3\n');
    expect(text).to.include('clustering_active_jobs 2\n');
    expect(text.match(/^# TYPE insights_queue_jobs gauge$/gm)).to.have.length(1);
    expect(text.match(/^insights_queue_jobs\{/gm)).to.have.length(14);
    await registry.metrics();
    expect(reads, 'a new scrape reads again').to.equal(2);
  });

  it('reports each queue as paused (1) or not (0)', async () => {
    answer = async () =>
      new Map([
        ['clustering', state(40, 0, NOW - 60_000, 3, true)],
        ['team-formation', state(2, 1, NOW - 1_000, 1)],
      ]);
    const text = await registry.metrics();
    expect(text).to.include('# TYPE insights_queue_paused gauge\n');
    expect(text).to.include('insights_queue_paused{queue="clustering"} 1\n');
    expect(text).to.include('insights_queue_paused{queue="team-formation"} 0\n');
    answer = async () =>
      new Map([
        ['clustering', state(40, 0, NOW - 60_000, 3)],
        ['team-formation', state(2, 1, NOW - 1_000, 1)],
      ]);
    expect(await registry.metrics(), 'resumed').to.include('insights_queue_paused{queue="clustering"} 0\n');
  });

  it('answers within the timeout when Redis does not, with up 0 and no queue samples', async () => {
    answer = async () => new Map([['clustering', state(5, 2, null, 3)]]);
    await registry.metrics();
    answer = () => new Promise(() => undefined);
    const started = performance.now();
    const text = await registry.metrics();
    expect(performance.now() - started).to.be.below(500);
    expect(text).to.include('insights_exporter_up 0\n');
    const duration = Number(/^insights_exporter_scrape_duration_seconds (\S+)$/m.exec(text)?.[1]);
    // Timers may fire a fraction of a millisecond early against performance.now().
    expect(duration, 'the scrape took the timeout (50 ms), not longer than a busy machine adds').to.be.within(0.045, 0.5);
    for (const name of [
      'insights_queue_jobs',
      'insights_queue_oldest_waiting_age_seconds',
      'insights_queue_oldest_active_age_seconds',
      'insights_queue_workers',
      'insights_queue_paused',
      'clustering_active_jobs',
    ]) {
      expect(text, `${name} has no stale samples`).not.to.match(new RegExp(`^${name}[ {]`, 'm'));
      expect(text, `${name} is still described`).to.include(`# TYPE ${name} gauge`);
    }
  });

  it('reports a failed read as up 0 too', async () => {
    answer = () => Promise.reject(new Error('Connection is closed.'));
    const text = await registry.metrics();
    expect(text).to.include('insights_exporter_up 0\n');
    expect(text).not.to.match(/^insights_queue_jobs\{/m);
  });
});
