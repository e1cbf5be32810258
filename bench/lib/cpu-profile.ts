import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One function's share of a CPU profile. */
export interface ProfileEntry {
  function: string;
  self_ms: number;
  self_share: number;
}

/**
 * The functions with the most self time in a V8 `.cpuprofile` (as written by `node --cpu-prof`),
 * each named `name (file:line)`. Self time is what a function spent in its own code, so the
 * entries add up to at most the profile's length.
 */
export function topSelfTime(path: string, count = 12): { total_ms: number; top: ProfileEntry[] } {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    total += delta;
    const frame = byId.get(id)!.callFrame;
    const file = frame.url.replace(/^file:\/\//, '').replace(/^.*\/(packages|node_modules)\//, '$1/');
    const name = `${frame.functionName || '(anonymous)'}${file ? ` (${file}:${frame.lineNumber + 1})` : ''}`;
    self.set(name, (self.get(name) ?? 0) + delta);
  });
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => ({ function: name, self_ms: Math.round(ms), self_share: Math.round((ms / total) * 1000) / 1000 }));
  return { total_ms: Math.round(total), top };
}
