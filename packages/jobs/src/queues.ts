/** The queues, by the kind of job they carry. Names are contracts: dashboards and alerts use them. */
export const QUEUES = {
  clustering: 'clustering',
  teamFormation: 'team-formation',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Every queue, in a stable order. */
export const QUEUE_NAMES: readonly QueueName[] = [QUEUES.clustering, QUEUES.teamFormation];

/** Default key prefix in Redis (`QUEUE_PREFIX`). `{insights}` keeps every key in one Redis Cluster hash slot. */
export const DEFAULT_QUEUE_PREFIX = 'insights';
