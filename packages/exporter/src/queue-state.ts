import type { Redis } from 'ioredis';
import type { RedisClient } from '@insights/runtime';

/** Job states of `insights_queue_jobs`, in BullMQ's names. */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;
/** One of JOB_STATES. */
export type JobState = (typeof JOB_STATES)[number];

/** What one scrape reads of one queue. */
export interface QueueState {
  counts: Record<JobState, number>;
  /** `timestamp` (ms) of the oldest job ready to run (waiting or prioritized), or null when there is none. */
  oldestWaitingTimestamp: number | null;
  /** `processedOn` (ms) of the job active the longest (the tail of `active`), or null when none is active. */
  oldestActiveProcessedOn: number | null;
  /** Connected BullMQ workers (their blocking connections, by client name). */
  workers: number;
  /** Whether the queue is paused (BullMQ `Queue.pause()`: field `paused` of the `meta` hash). */
  paused: boolean;
}

/**
 * One queue in one round trip, O(1) per state and never a scan of jobs: LLEN/ZCARD of each state
 * key, then the `timestamp` of the candidates for the oldest job ready to run: the tail of `wait`
 * and of `paused` (BullMQ pushes at the head and takes from the tail) and the head of
 * `prioritized` (the next to run). A v4-style marker (`0:…`) at a list's tail is skipped. And
 * whether the queue is paused: BullMQ 5's `pause` script sets field `paused` of the `meta` hash
 * (and `resume` deletes it); its `isQueuePaused` tests that field with HEXISTS.
 *
 * KEYS: wait, paused, active, delayed, prioritized, waiting-children, failed, completed, meta.
 * And the `processedOn` of the tail of `active`: BullMQ moves a job to the head of `active` when
 * it starts, so the tail is the one that has run the longest.
 *
 * ARGV[1]: the prefix of job keys (`prefix:queue:`). Returns the seven counts, then the oldest
 * timestamp or -1, then 1 when the queue is paused, else 0, then the longest-active job's
 * `processedOn` or -1.
 */
const QUEUE_STATE_LUA = `
local rcall = redis.call
local function tail(key)
  local id = rcall("LINDEX", key, -1)
  if id and string.sub(id, 1, 2) == "0:" then
    return rcall("LINDEX", key, -2), 1
  end
  return id, 0
end
local waitTail, waitMarker = tail(KEYS[1])
local pausedTail, pausedMarker = tail(KEYS[2])
local waiting = rcall("LLEN", KEYS[1]) - waitMarker + rcall("LLEN", KEYS[2]) - pausedMarker
local result = { waiting, rcall("LLEN", KEYS[3]), rcall("ZCARD", KEYS[4]), rcall("ZCARD", KEYS[5]),
  rcall("ZCARD", KEYS[6]), rcall("ZCARD", KEYS[7]), rcall("ZCARD", KEYS[8]) }
local oldest = -1
local candidates = { waitTail, pausedTail, rcall("ZRANGE", KEYS[5], 0, 0)[1] }
for i = 1, 3 do
  local id = candidates[i]
  if id then
    local ts = tonumber(rcall("HGET", ARGV[1] .. id, "timestamp"))
    if ts and (oldest < 0 or ts < oldest) then oldest = ts end
  end
end
result[8] = oldest
result[9] = rcall("HEXISTS", KEYS[9], "paused")
local activeTail = rcall("LINDEX", KEYS[3], -1)
result[10] = -1
if activeTail then
  result[10] = tonumber(rcall("HGET", ARGV[1] .. activeTail, "processedOn")) or -1
end
return result
`;

const STATE_KEYS = ['wait', 'paused', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed', 'meta'];
const COMMAND = 'insightsQueueState';

type WithQueueState = { [COMMAND](...args: string[]): Promise<number[]> };

/** Defines the queue-state script on a connection (ioredis sends it by SHA, loading it when needed). */
export function defineQueueStateCommand(redis: RedisClient): void {
  redis.defineCommand(COMMAND, { numberOfKeys: STATE_KEYS.length, lua: QUEUE_STATE_LUA });
}

/** The script's arguments for one queue. */
function scriptArgs(prefix: string, queue: string): string[] {
  return [...STATE_KEYS.map((state) => `${prefix}:${queue}:${state}`), `${prefix}:${queue}:`];
}

/** Turns the script's reply into a QueueState. */
function toState(reply: number[], workers: number): QueueState {
  const counts = Object.fromEntries(JOB_STATES.map((state, i) => [state, Number(reply[i])])) as Record<JobState, number>;
  const oldest = Number(reply[JOB_STATES.length]);
  const paused = Number(reply[JOB_STATES.length + 1]) === 1;
  const activeSince = Number(reply[JOB_STATES.length + 2]);
  return { counts, oldestWaitingTimestamp: oldest >= 0 ? oldest : null, oldestActiveProcessedOn: activeSince >= 0 ? activeSince : null, workers, paused };
}

/** Counts the connections of BullMQ workers per queue in CLIENT LIST output (named `prefix:base64(queue)`, maybe `:w:name`). */
export function countWorkers(clientList: string, prefix: string, queues: readonly string[]): Map<string, number> {
  const byName = new Map(queues.map((queue) => [`${prefix}:${Buffer.from(queue).toString('base64')}`, queue]));
  const counts = new Map(queues.map((queue) => [queue, 0]));
  for (const line of clientList.split('\n')) {
    const name = / name=(\S+)/.exec(line)?.[1];
    if (name === undefined) continue;
    const named = name.indexOf(':w:');
    const queue = byName.get(named >= 0 ? name.slice(0, named) : name);
    if (queue !== undefined) counts.set(queue, counts.get(queue)! + 1);
  }
  return counts;
}

/**
 * Reads every watched queue: on a single Redis one pipeline (one round trip for all queues and
 * CLIENT LIST); on a Redis Cluster one script call per queue, sent together, and CLIENT LIST on
 * each master, keeping the largest count per queue as BullMQ's `getWorkersCount` does.
 */
export async function readQueueStates(redis: RedisClient, prefix: string, queues: readonly string[]): Promise<Map<string, QueueState>> {
  let replies: number[][];
  let workers: Map<string, number>;
  if (redis.isCluster) {
    const cluster = redis as RedisClient & { nodes(role: 'master'): Redis[] };
    // Awaited together: a CLIENT LIST left pending when a script call fails would reject unhandled
    // later (a master lost in a failover times out) and end the process.
    let lists: string[];
    [replies, lists] = await Promise.all([
      Promise.all(queues.map((queue) => (redis as unknown as WithQueueState)[COMMAND](...scriptArgs(prefix, queue)))),
      Promise.all(cluster.nodes('master').map((node) => node.client('LIST') as Promise<string>)),
    ]);
    const perNode = lists.map((list) => countWorkers(list, prefix, queues));
    workers = new Map(queues.map((queue) => [queue, Math.max(0, ...perNode.map((counts) => counts.get(queue)!))]));
  } else {
    const pipeline = redis.pipeline();
    for (const queue of queues) (pipeline as unknown as WithQueueState)[COMMAND](...scriptArgs(prefix, queue));
    pipeline.client('LIST');
    const results = (await pipeline.exec()) ?? [];
    const values = results.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    replies = values.slice(0, queues.length) as number[][];
    workers = countWorkers(values[queues.length] as string, prefix, queues);
  }
  return new Map(queues.map((queue, i) => [queue, toState(replies[i]!, workers.get(queue)!)]));
}
