import { Gauge, type Registry } from 'prom-client';
import { METRICS, QUEUES } from '@insights/jobs';
import { JOB_STATES, type QueueState } from './queue-state.js';
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
 * oldest job ready to run and of the longest-running active one, connected workers, whether the queue is paused, clustering jobs
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
  const perQueue = { registers, snapshot };
  perQueueGauge(
    perQueue,
    METRICS.queueOldestWaitingAgeSeconds,
    'Age of the oldest job ready to run (waiting or prioritized), since it was added; 0 when none waits',
    (state, takenAt) => (state.oldestWaitingTimestamp === null ? 0 : Math.max(0, (takenAt - state.oldestWaitingTimestamp) / 1000)),
  );
  perQueueGauge(
    perQueue,
    METRICS.queueOldestActiveAgeSeconds,
    'How long the job active the longest has run (since its current attempt started); 0 when none is active',
    (state, takenAt) => (state.oldestActiveProcessedOn === null ? 0 : Math.max(0, (takenAt - state.oldestActiveProcessedOn) / 1000)),
  );
  perQueueGauge(perQueue, METRICS.queueWorkers, 'BullMQ workers connected to each queue', (state) => state.workers);
  perQueueGauge(
    perQueue,
    METRICS.queuePaused,
    'Whether the queue is paused (1) or not (0): a paused queue’s jobs wait however many workers there are',
    (state) => (state.paused ? 1 : 0),
  );
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

/**
 * A gauge with one sample per watched queue, computed from that queue's state in the scrape's
 * snapshot; no samples when the snapshot failed.
 */
function perQueueGauge(
  { registers, snapshot }: { registers: Registry[]; snapshot: SnapshotSource },
  name: string,
  help: string,
  value: (state: QueueState, takenAt: number) => number,
): void {
  new Gauge({
    name,
    help,
    labelNames: ['queue'],
    registers,
    async collect() {
      const taken = await snapshot();
      this.reset();
      if (!taken.ok) return;
      for (const [queue, state] of taken.queues) this.set({ queue }, value(state, taken.takenAt));
    },
  });
}
