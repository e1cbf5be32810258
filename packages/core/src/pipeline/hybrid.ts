import { kmeans } from '../kmeans/kmeans.js';
import { selectRows } from '../kmeans/matrix.js';
import { adjustedRandIndex } from '../quality/adjusted-rand-index.js';
import { sampleIndices } from '../random/sample.js';
import type { Reservoir } from '../reservoirs/registry.js';
import { embedBlocks, type FeatureBlock } from './embedding.js';

/** Rows each member is clustered on alone, at most (a seeded sample above). */
const MAX_SAMPLE_ROWS = 5_000;
/** k-means++ restarts of each member's own clustering: enough for a vote, cheap at 5,000 rows. */
const MEMBER_RESTARTS = 3;
/**
 * The least agreement a member is credited with, so that a member that agrees with nobody keeps
 * a small weight instead of none (a weight of 0 would drop its block from the space altogether).
 */
const MIN_AGREEMENT = 0.05;
/**
 * How sharply a member that agrees less than the typical member is down-weighted. Linear
 * weights left a member that is half noise too much of the space in `bench/quality.ts`
 * (`overlapping, noisy lsm`, data seeds 1–5: ARI 0.914 linear against 0.923 squared).
 */
const POWER = 2;

/** Each member's own clustering of the sample, kept for the consensus strength per cluster. */
export interface MemberVotes {
  /** Rows (canonical order) of the sample, ascending; null when the sample is every row. */
  sample: Int32Array | null;
  /** Cluster of each sampled row in each member's own clustering, in member order. */
  labels: Int32Array[];
}

/** What {@link weighMembers} found: the reweighted blocks, and how it weighed them. */
export interface WeighedMembers {
  blocks: FeatureBlock[];
  /** Weight of each member in the combined space, summing to 1. */
  weights: Partial<Record<Reservoir, number>>;
  /** Mean ARI of each member's own clustering with the other members', clipped to 0..1. */
  agreement: Partial<Record<Reservoir, number>>;
  votes: MemberVotes;
}

/**
 * Weighs the hybrid's members by how well each one's own clustering agrees with the others'.
 * Each member's features are embedded and clustered alone (k-means, 3 restarts) on a seeded
 * sample of at most 5,000 rows; a member's agreement is its mean adjusted Rand index with the
 * other members. Its weight is the caller's weight (`hybridWeights`, 1 by default) times
 * (agreement / median agreement)², capped at 1, normalised to sum to 1. Members that see the same
 * structure keep equal weights, however hard the data (when all agree little, none is singled
 * out); a member that agrees clearly less than the others — one that adds noise — fades out.
 *
 * Returns null when a member's features cannot be embedded on the sample (the caller then
 * embeds the prior weights, which reports the problem and falls back).
 */
export function weighMembers(blocks: readonly FeatureBlock[], k: number, seed: number): WeighedMembers | null {
  const rows = blocks[0]!.raw.rows;
  const sample = rows > MAX_SAMPLE_ROWS ? sampleIndices(rows, MAX_SAMPLE_ROWS, seed, 'hybrid-sample') : null;
  const labels: Int32Array[] = [];
  for (const block of blocks) {
    const raw = sample ? selectRows(block.raw, sample) : block.raw;
    const own = embedBlocks([{ ...block, raw, weight: 1 }], seed);
    if (!own.ok) return null;
    const clusters = Math.min(k, distinctRows(own.space.data, own.space.cols, k));
    labels.push(kmeans(own.space, { k: clusters, seed, nInit: MEMBER_RESTARTS, streamKey: `hybrid-member:${block.reservoir}` }).labels);
  }
  const agreementOf = blocks.map((_, m) => meanAgreement(labels, m));
  const typical = median(agreementOf);
  const raw = blocks.map((block, m) => block.weight * Math.min(1, Math.max(agreementOf[m]!, MIN_AGREEMENT) / Math.max(typical, MIN_AGREEMENT)) ** POWER);
  const total = raw.reduce((a, b) => a + b, 0);
  const weights: Partial<Record<Reservoir, number>> = {};
  const agreement: Partial<Record<Reservoir, number>> = {};
  blocks.forEach((block, m) => {
    weights[block.reservoir] = raw[m]! / total;
    agreement[block.reservoir] = agreementOf[m]!;
  });
  return {
    blocks: blocks.map((block, m) => ({ ...block, weight: raw[m]! / total })),
    weights,
    agreement,
    votes: { sample, labels },
  };
}

/** Middle value (mean of the two middle ones for an even count). */
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Mean ARI of member m's clustering with every other member's, clipped to 0..1 (1 alone). */
function meanAgreement(labels: readonly Int32Array[], m: number): number {
  if (labels.length === 1) return 1;
  let sum = 0;
  for (let o = 0; o < labels.length; o++) if (o !== m) sum += adjustedRandIndex(labels[m]!, labels[o]!);
  return Math.min(1, Math.max(0, sum / (labels.length - 1)));
}

/** Distinct rows of a row-major array, counting no further than `enough`. */
function distinctRows(data: Float64Array, cols: number, enough: number): number {
  const seen = new Set<string>();
  for (let r = 0; r < data.length / cols && seen.size < enough; r++) seen.add(data.subarray(r * cols, r * cols + cols).join(','));
  return seen.size;
}

/**
 * Consensus strength of each final cluster: the share of its (sampled) people whom each member,
 * clustering alone, also puts together with the cluster's majority, averaged over the members.
 * Each of a member's own clusters stands for the final cluster it overlaps most. 1 means every
 * member on its own found this cluster exactly; null when no sampled person is in the cluster.
 */
export function consensusStrength(labels: Int32Array, k: number, votes: MemberVotes): (number | null)[] {
  const { sample } = votes;
  const count = sample ? sample.length : labels.length;
  const finalOf = (s: number) => labels[sample ? sample[s]! : s]!;
  const sizes = new Float64Array(k);
  for (let s = 0; s < count; s++) sizes[finalOf(s)]!++;
  const agreeing = new Float64Array(k);
  for (const member of votes.labels) {
    let memberK = 0;
    for (const l of member) memberK = Math.max(memberK, l + 1);
    const overlap = new Float64Array(memberK * k);
    for (let s = 0; s < count; s++) overlap[member[s]! * k + finalOf(s)]!++;
    const standsFor = new Int32Array(memberK);
    for (let j = 0; j < memberK; j++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (overlap[j * k + c]! > overlap[j * k + best]!) best = c;
      standsFor[j] = best;
    }
    for (let s = 0; s < count; s++) if (standsFor[member[s]!] === finalOf(s)) agreeing[finalOf(s)]!++;
  }
  return Array.from(sizes, (size, c) => (size === 0 ? null : agreeing[c]! / (size * votes.labels.length)));
}
