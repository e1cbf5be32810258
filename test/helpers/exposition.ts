/** A parsed Prometheus text exposition: samples by metric name, each with its labels. */
export type Exposition = Map<string, { labels: Record<string, string>; value: number }[]>;

/**
 * Parses the Prometheus text format (comments skipped, labels unescaped, NaN/±Inf understood;
 * prom-client writes NaN as `Nan`, which Prometheus also accepts).
 */
export function parseExposition(text: string): Exposition {
  const metrics: Exposition = new Map();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    const labelText = match[3] ?? '';
    const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;
    let consumed = 0;
    for (let label = labelPattern.exec(labelText); label; label = labelPattern.exec(labelText)) {
      labels[label[1]!] = label[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
      consumed = labelPattern.lastIndex;
    }
    if (consumed !== labelText.length) throw new Error(`bad labels in Prometheus sample line: ${line}`);
    const valueText = match[4]!;
    const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
    if (Number.isNaN(value) && valueText.toLowerCase() !== 'nan') throw new Error(`bad value in Prometheus sample line: ${line}`);
    const samples = metrics.get(match[1]!) ?? [];
    samples.push({ labels, value });
    metrics.set(match[1]!, samples);
  }
  return metrics;
}

/** The value of a metric's only sample (or of the sample with these labels). */
export function sampleOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  const samples = (exposition.get(name) ?? []).filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (samples.length !== 1) throw new Error(`expected one sample of ${name}${JSON.stringify(labels)}, found ${samples.length}`);
  return samples[0]!.value;
}
