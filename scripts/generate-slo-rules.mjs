#!/usr/bin/env node
// Writes rules/slo.yml from rules/slo/slos.yml: for each SLO, the error ratio and the event rate
// over every window the burn-rate alerts use, the 30-day error ratio and the error budget left,
// and the multi-window, multi-burn-rate alerts. With --check, writes nothing and exits 1 when
// rules/slo.yml differs from what the definition generates (scripts/check-monitoring.sh runs it).
//   node scripts/generate-slo-rules.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SOURCE = 'rules/slo/slos.yml';
const TARGET = 'rules/slo.yml';

const SECONDS = { s: 1, m: 60, h: 3600, d: 86400 };

/** A Prometheus duration such as `5m` or `3d`, in seconds. */
function seconds(duration) {
  const match = /^(\d+)([smhd])$/.exec(duration);
  if (!match) throw new Error(`${SOURCE}: ${duration} is not a duration like 5m, 1h or 3d`);
  return Number(match[1]) * SECONDS[match[2]];
}

/** A number as people write it: at most two decimals, no trailing zeros. */
function decimal(value) {
  return String(Number(value.toFixed(2)));
}

/** Every window the alerts name, shortest first. */
function windowsOf(definition) {
  const all = new Set(definition.alerts.flatMap((alert) => [alert.long, alert.short]));
  return [...all].sort((a, b) => seconds(a) - seconds(b));
}

/** Checks the definition, so that a typo fails here rather than in Prometheus. */
function validate(definition) {
  const problems = [];
  const names = new Set();
  for (const slo of definition.slos) {
    if (names.has(slo.name)) problems.push(`${slo.name}: defined twice`);
    names.add(slo.name);
    if (!(slo.objective > 0 && slo.objective < 1)) problems.push(`${slo.name}: objective must be between 0 and 1`);
    for (const key of ['alert', 'service', 'dashboard', 'errors', 'total', 'summary', 'description'])
      if (!slo[key]) problems.push(`${slo.name}: ${key} is missing`);
    for (const key of ['errors', 'total']) if (!String(slo[key]).includes('{window}')) problems.push(`${slo.name}: ${key} never uses {window}`);
    if (!Number.isInteger(slo.min_events) || slo.min_events < 0) problems.push(`${slo.name}: min_events must be a whole number`);
  }
  seconds(definition.period);
  if (problems.length > 0) throw new Error(`${SOURCE}:\n  ${problems.join('\n  ')}`);
}

/** A YAML block scalar holding an expression, indented for a rule's `expr:`. */
function block(text, indent) {
  return `|\n${text
    .split('\n')
    .map((line) => `${' '.repeat(indent)}${line}`)
    .join('\n')}`;
}

/** A single-quoted YAML string. */
function quoted(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

function recordingGroup(definition, slo, windows) {
  const by = [...definition.environment_labels, ...slo.by].join(', ');
  const fill = (template, window) => template.replaceAll('{by}', by).replaceAll('{window}', window);
  const rules = [];
  for (const window of windows) {
    const errors = fill(slo.errors, window);
    const total = fill(slo.total, window);
    rules.push({ record: `slo:sli_error:ratio_rate${window}`, expr: `(\n  ${errors}\n  or\n  0 * ${total}\n)\n/ (${total} > 0)` });
    rules.push({ record: `slo:sli_events:rate${window}`, expr: total });
  }
  const selector = `{slo="${slo.name}"}`;
  const budget = Number((1 - slo.objective).toFixed(6));
  rules.push({ record: `slo:objective:ratio`, expr: `vector(${slo.objective})` });
  // The period's error ratio from the 5-minute one, as sloth computes it: one rate over 30 days
  // of raw counters would be costly on every evaluation.
  rules.push({
    record: `slo:sli_error:ratio_rate${definition.period}`,
    expr: `avg_over_time(slo:sli_error:ratio_rate${windows[0]}${selector}[${definition.period}])`,
  });
  rules.push({ record: `slo:error_budget_remaining:ratio`, expr: `1 - slo:sli_error:ratio_rate${definition.period}${selector} / ${budget}` });
  const lines = [`  - name: slo-${slo.name}`, `    rules:`];
  for (const rule of rules) {
    lines.push(`      - record: ${rule.record}`);
    lines.push(rule.expr.includes('\n') ? `        expr: ${block(rule.expr, 10)}` : `        expr: ${rule.expr}`);
    lines.push(`        labels:`, `          slo: ${slo.name}`);
  }
  return lines.join('\n');
}

function alertRules(definition, slo) {
  const on = [...definition.environment_labels, ...slo.by].join(', ');
  const periodDays = seconds(definition.period) / SECONDS.d;
  const lines = [];
  for (const alert of definition.alerts) {
    const threshold = decimal(alert.burn * (1 - slo.objective) * 100);
    const factor = Number((alert.burn * (1 - slo.objective)).toFixed(6));
    const selector = `{slo="${slo.name}"}`;
    const expr = [
      `slo:sli_error:ratio_rate${alert.long}${selector} > ${factor}`,
      `and on (${on})`,
      `slo:sli_error:ratio_rate${alert.short}${selector} > ${factor}`,
      `and on (${on})`,
      `slo:sli_events:rate${alert.long}${selector} * ${seconds(alert.long)} >= ${slo.min_events}`,
    ].join('\n');
    const text = (template) =>
      template
        .replaceAll('{burn}', decimal(alert.burn))
        .replaceAll('{threshold}', threshold)
        .replaceAll('{objective}', decimal(slo.objective * 100));
    const gone = decimal(periodDays / alert.burn);
    const description = `Over the last ${alert.long} and ${alert.short}, ${text(slo.description)} over ${periodDays} days. At this rate the ${periodDays}-day budget is gone in about ${Math.round(Number(gone))} days.`;
    lines.push(
      `      - alert: ${slo.alert}`,
      `        expr: ${block(expr, 10)}`,
      `        for: ${alert.for}`,
      `        labels:`,
      `          severity: ${alert.severity}`,
      `          service: ${slo.service}`,
      `          slo: ${slo.name}`,
      `          long_window: ${alert.long}`,
      `          short_window: ${alert.short}`,
      `        annotations:`,
      `          summary: ${quoted(text(slo.summary))}`,
      `          description: ${quoted(description)}`,
      `          runbook_url: ${definition.runbook_base}${slo.alert}.md`,
      `          dashboard_url: ${quoted(definition.dashboard_base + slo.dashboard)}`,
    );
  }
  return lines.join('\n');
}

/** The text of rules/slo.yml. */
export function generate(definition) {
  validate(definition);
  const windows = windowsOf(definition);
  const header = [
    `# GENERATED by scripts/generate-slo-rules.mjs from ${SOURCE}: edit that file and run`,
    `# \`node scripts/generate-slo-rules.mjs\`, never this one (scripts/check-monitoring.sh checks it).`,
    `#`,
    `# Per SLO (label \`slo\`): slo:sli_error:ratio_rate<window> (bad share of events),`,
    `# slo:sli_events:rate<window> (events per second, for the minimum-volume guard),`,
    `# slo:objective:ratio, slo:sli_error:ratio_rate${definition.period} and slo:error_budget_remaining:ratio`,
    `# (1 = untouched, 0 = spent, below 0 = overspent); then its burn-rate alerts. Tested in`,
    `# rules/tests/slo.test.yml and rules/tests/scenarios.test.yml.`,
    `groups:`,
  ];
  // One group per SLO, its alerts after its recording rules: rules of a group run in order, so
  // each alert reads the ratios of the same evaluation (groups run independently of each other).
  const groups = definition.slos.map((slo) => `${recordingGroup(definition, slo, windows)}\n${alertRules(definition, slo)}`);
  return `${[...header, ...groups].join('\n')}\n`;
}

const text = generate(load(readFileSync(`${ROOT}${SOURCE}`, 'utf8')));
if (process.argv.includes('--check')) {
  const current = readFileSync(`${ROOT}${TARGET}`, 'utf8');
  if (current !== text) {
    console.log(`${TARGET} is not what ${SOURCE} generates: run node scripts/generate-slo-rules.mjs`);
    process.exit(1);
  }
  console.log(`${TARGET} matches ${SOURCE}`);
} else {
  writeFileSync(`${ROOT}${TARGET}`, text);
  console.log(`wrote ${TARGET}`);
}
