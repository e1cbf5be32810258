import { Gauge, type Registry } from 'prom-client';
import { METRICS, QUEUES } from '@insights/jobs';
import { JOB_STATES } from './queue-state.js';
import type { SnapshotSource } from './snapshot.js';

/** What the queue gauges read. */
export interface QueueGaugeOptions {
  registry: Registry;
  /** The snapshot of the scrape in progress. */
  snapshot: SnapshotSource;
  /** Watched queues: each gets its series, however many there are, in one family per metric. */
  queues: readonly string[];
}

/**
 * The gauges read from Redis at scrape time, in `collect()`: queue depth by state, the age of the
 * oldest job ready to run, connected workers, whether the queue is paused, clustering jobs
 * running, and whether Redis answered and how long that took. When Redis does not answer, `insights_exporter_up` is 0 and the queue
 * gauges have no samples at all: no stale value passes for a fresh one.
 */
export function registerQueueGauges({ registry, snapshot, queues }: QueueGaugeOptions): void {
  const registers = [registry];
  new Gauge({
    name: METRICS.exporterUp,
    help: 'Whether the last scrape could read the queues from Redis (1) or not (0)',
    registers,
    async collect() {
      this.set((await snapshot()).ok ? 1 : 0);
    },
  });
  new Gauge({
    name: METRICS.exporterScrapeDurationSeconds,
    help: 'Time the last scrape took to read the queues from Redis (up to the timeout when Redis is down)',
    registers,
    async collect() {
      this.set((await snapshot()).durationSeconds);
    },
  });
  new Gauge({
    name: METRICS.queueJobs,
    help: 'Jobs in each queue by state (waiting includes a paused queue’s waiting jobs)',
    labelNames: ['queue', 'state'],
    registers,
    async collect() {
      const taken = await snapshot();
      this.reset();
      if (!taken.ok) return;
      for (const [queue, state] of taken.queues) for (const name of JOB_STATES) this.set({ queue, state: name }, state.counts[name]);
    },
  });
  new Gauge({
    name: METRICS.queueOldestWaitingAgeSeconds,
    help: 'Age of the oldest job ready to run (waiting or prioritized), since it was added; 0 when none waits',
    labelNames: ['queue'],
    registers,
    async collect() {
      const taken = await snapshot();
      this.reset();
      if (!taken.ok) return;
      for (const [queue, state] of taken.queues) {
        const oldest = state.oldestWaitingTimestamp;
        this.set({ queue }, oldest === null ? 0 : Math.max(0, (taken.takenAt - oldest) / 1000));
      }
    },
  });
  new Gauge({
    name: METRICS.queueWorkers,
    help: 'BullMQ workers connected to each queue',
    labelNames: ['queue'],
    registers,
    async collect() {
      const taken = await snapshot();
      this.reset();
      if (!taken.ok) return;
      for (const [queue, state] of taken.queues) this.set({ queue }, state.workers);
    },
  });
  new Gauge({
    name: METRICS.queuePaused,
    help: 'Whether the queue is paused (1) or not (0): a paused queue’s jobs wait however many workers there are',
    labelNames: ['queue'],
    registers,
    async collect() {
      const taken = await snapshot();
      this.reset();
      if (!taken.ok) return;
      for (const [queue, state] of taken.queues) this.set({ queue }, state.paused ? 1 : 0);
    },
  });
  const watchesClustering = queues.includes(QUEUES.clustering);
  new Gauge({
    name: METRICS.clusteringActiveJobs,
    help: 'Clustering jobs being processed right now, fleet-wide (active jobs of the clustering queue)',
    registers,
    async collect() {
      const taken = await snapshot();
      const active = taken.ok && watchesClustering ? taken.queues.get(QUEUES.clustering)?.counts.active : undefined;
      if (active === undefined) this.remove();
      else this.set(active);
    },
  });
}
