/**
 * A discrete-event simulation of one day of clustering jobs on an autoscaled worker fleet, for
 * docs/capacity.md: arrivals from a Poisson process whose rate follows the working day with a
 * morning burst, service times drawn around a measured CPU cost, and a KEDA-style scaler that
 * looks at the queue every `pollingSeconds`, asks for `ceil((waiting + running) / jobsPerReplica)` replicas
 * within `[min, max]`, adds replicas after a start-up delay and removes them only after a
 * cooldown. Two scaler settings run on the same arrivals (same seed), and for each the p50/p95/max
 * queue wait and the worker-minutes paid are printed.
 *
 * Pure computation, seeded: the same options print the same numbers.
 * Run: npx tsx bench/capacity-sim.ts [--service-seconds 4] [--jobs-per-day 6000] [--seed 1]
 */
import { printJson, round } from './lib/report.ts';
import { numberOption } from './lib/services.ts';

/** A scaler setting, named as in a KEDA ScaledObject with a queue-length trigger. */
interface ScalerSetting {
  name: string;
  minReplicas: number;
  maxReplicas: number;
  /** Jobs (waiting plus running) per replica the scaler aims at (the trigger's threshold). */
  jobsPerReplica: number;
  pollingSeconds: number;
  /** Seconds a replica stays after the scaler last wanted it (KEDA `cooldownPeriod`, HPA scale-down stabilisation). */
  cooldownSeconds: number;
}

/** What the fleet looks like and what the jobs cost. */
interface SimulationInput {
  jobsPerDay: number;
  /** Mean CPU seconds of a job on one worker thread (from bench/capacity.ts). */
  serviceSeconds: number;
  /** Jobs a replica runs at once (WORKER_CONCURRENCY, one core each). */
  concurrency: number;
  /** Seconds from the scaler asking for a replica until it takes jobs (pod scheduling, image, start). */
  startSeconds: number;
  seed: number;
}

const DAY = 86_400;

/** mulberry32: a small seeded generator, so every run of the simulation is the same. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Relative arrival rate at second `t` of the day: a low night, a working day from 08:00 to 18:00,
 * and a burst from 08:30 to 09:30 at six times the day's level (reports run as people arrive).
 */
function shape(t: number): number {
  const hour = t / 3600;
  if (hour >= 8.5 && hour < 9.5) return 6;
  if (hour >= 8 && hour < 18) return 1;
  return 0.1;
}

/** Arrival times over the day (thinning of a Poisson process with the peak rate). */
function arrivals(input: SimulationInput, rnd: () => number): number[] {
  const mass = 0.1 * 14 + 1 * 9 + 6 * 1; // integral of shape() over the day, in hours
  const peak = (input.jobsPerDay / (mass * 3600)) * 6;
  const times: number[] = [];
  for (let t = -Math.log(1 - rnd()) / peak; t < DAY; t += -Math.log(1 - rnd()) / peak) {
    if (rnd() < shape(t) / 6) times.push(t);
  }
  return times;
}

/** Service time of one job: exponential around the mean, floored at a tenth of it. */
function serviceTime(input: SimulationInput, rnd: () => number): number {
  return Math.max(input.serviceSeconds / 10, -Math.log(1 - rnd()) * input.serviceSeconds);
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs the day under one scaler setting; arrivals and service times come from the seed. */
function simulate(input: SimulationInput, setting: ScalerSetting) {
  const rnd = random(input.seed);
  const times = arrivals(input, rnd);
  const services = times.map(() => serviceTime(input, rnd));
  const waits: number[] = [];
  const queue: number[] = [];
  /** Each replica: when it takes jobs from, until when the scaler still wants it, and when each slot is free. */
  const replicas: { readyAt: number; wantedUntil: number; slots: number[] }[] = [];
  const addReplica = (now: number, delay: number) =>
    replicas.push({ readyAt: now + delay, wantedUntil: now, slots: Array<number>(input.concurrency).fill(now + delay) });
  for (let i = 0; i < setting.minReplicas; i++) addReplica(0, 0);
  let workerSeconds = 0;
  let maxReplicas = replicas.length;
  let next = 0;
  const step = 1;
  for (let now = 0; now < DAY || queue.length > 0; now += step) {
    while (next < times.length && times[next]! < now + step) queue.push(next++);
    if (now % setting.pollingSeconds === 0) {
      // Demand as the shipped ScaledObject counts it: jobs waiting plus jobs running.
      const running = replicas.reduce((n, r) => n + r.slots.filter((free) => free > now).length, 0);
      const wanted = Math.min(setting.maxReplicas, Math.max(setting.minReplicas, Math.ceil((queue.length + running) / setting.jobsPerReplica)));
      for (const replica of replicas.slice(0, wanted)) replica.wantedUntil = now;
      for (let i = replicas.length; i < wanted; i++) addReplica(now, input.startSeconds);
      for (let i = replicas.length - 1; i >= setting.minReplicas; i--) {
        const replica = replicas[i]!;
        if (now - replica.wantedUntil >= setting.cooldownSeconds && replica.slots.every((free) => free <= now)) replicas.splice(i, 1);
      }
      maxReplicas = Math.max(maxReplicas, replicas.length);
    }
    // Within the step each free slot runs jobs back to back, at the exact times they could start.
    for (const replica of replicas) {
      if (replica.readyAt >= now + step) continue;
      for (let s = 0; s < replica.slots.length; s++) {
        while (queue.length > 0) {
          const start = Math.max(replica.slots[s]!, replica.readyAt, times[queue[0]!]!);
          if (start >= now + step) break;
          const job = queue.shift()!;
          waits.push(start - times[job]!);
          replica.slots[s] = start + services[job]!;
        }
      }
    }
    workerSeconds += replicas.length * step;
    if (now > 2 * DAY) throw new Error('the queue never emptied: the setting cannot keep up');
  }
  const sorted = waits.sort((a, b) => a - b);
  return {
    setting: setting.name,
    jobs: times.length,
    wait_seconds: { p50: round(percentile(sorted, 50), 1), p95: round(percentile(sorted, 95), 1), max: round(sorted.at(-1) ?? 0, 1) },
    worker_minutes: Math.round(workerSeconds / 60),
    peak_replicas: maxReplicas,
  };
}

/** The two settings docs/capacity.md compares. */
const SETTINGS: ScalerSetting[] = [
  {
    name: 'shipped (infra/k8s/keda-scaledobject.yaml): min 1, max 20, 4 jobs per replica, polling 15 s, cooldown 300 s',
    minReplicas: 1,
    maxReplicas: 20,
    jobsPerReplica: 4,
    pollingSeconds: 15,
    cooldownSeconds: 300,
  },
  {
    name: 'lean: min 1, max 8, 12 jobs per replica, polling 30 s, cooldown 120 s',
    minReplicas: 1,
    maxReplicas: 8,
    jobsPerReplica: 12,
    pollingSeconds: 30,
    cooldownSeconds: 120,
  },
];

const input: SimulationInput = {
  jobsPerDay: numberOption('--jobs-per-day', 6000),
  serviceSeconds: numberOption('--service-seconds', 4),
  concurrency: numberOption('--concurrency', 2),
  startSeconds: numberOption('--start-seconds', 30),
  seed: numberOption('--seed', 1),
};
printJson({ benchmark: 'capacity-sim', input, results: SETTINGS.map((setting) => simulate(input, setting)) });
