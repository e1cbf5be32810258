import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';

/** What the monitoring tests read: every PromQL expression of the rules and the dashboards. */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'inf', 'nan', 'atan2']);

/**
 * The metric names an expression selects (including recording rule names), in order of first use.
 * Not a full PromQL parser: string literals, label matchers, ranges and grouping clauses are cut
 * out, and what is left that looks like a name and is not called like a function is a metric.
 */
export function metricNames(expr: string): string[] {
  let text = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  text = text.replace(/\{[^}]*\}/g, ' ');
  text = text.replace(/\[[^\]]*\]/g, ' ');
  text = text.replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of text.matchAll(/(?<![\w:.$])([a-zA-Z_:][\w:]*)(?![\w:])(\s*\()?/g)) {
    if (match[2] !== undefined) continue;
    if (KEYWORDS.has(match[1]!.toLowerCase())) continue;
    names.add(match[1]!);
  }
  return [...names];
}

/** One expression with where it comes from, for failure messages. */
export interface SourcedExpr {
  source: string;
  expr: string;
}

interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
}

/** The rules of rules/alerts.yml, rules/recording.yml and rules/slo.yml (generated). */
export function ruleExprs(): (SourcedExpr & { alert?: string; record?: string })[] {
  return ['alerts.yml', 'recording.yml', 'slo.yml'].flatMap((file) => {
    const doc = load(readFileSync(`${ROOT}rules/${file}`, 'utf8')) as RuleFile;
    return doc.groups.flatMap((group) =>
      group.rules.map((rule) => ({ source: `rules/${file} ${rule.alert ?? rule.record}`, expr: rule.expr, alert: rule.alert, record: rule.record })),
    );
  });
}

interface Dashboard {
  title: string;
  templating: { list: { name: string; type: string; definition?: string; allValue?: string }[] };
  panels: { title: string; type: string; targets?: { expr: string }[]; panels?: Dashboard['panels'] }[];
}

/** The dashboards of dashboards/, parsed. */
function dashboards(): { file: string; dashboard: Dashboard }[] {
  return readdirSync(`${ROOT}dashboards`)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({ file, dashboard: JSON.parse(readFileSync(`${ROOT}dashboards/${file}`, 'utf8')) as Dashboard }));
}

/**
 * Grafana's variables replaced as Grafana would for "All" and a 1 s scrape interval:
 * `$__rate_interval` becomes 1m, a query variable its allValue.
 */
function substitute(expr: string, dashboard: Dashboard, rateInterval = '1m'): string {
  let out = expr.replaceAll('$__rate_interval', rateInterval).replaceAll('${__rate_interval}', rateInterval);
  for (const variable of dashboard.templating.list) {
    if (variable.type !== 'query') continue;
    const value = variable.allValue ?? '.*';
    out = out.replaceAll(`\${${variable.name}}`, value).replaceAll(`$${variable.name}`, value);
  }
  return out;
}

/** Every panel target and variable query of every dashboard, variables substituted. */
export function dashboardExprs(): (SourcedExpr & { panel?: string })[] {
  return dashboards().flatMap(({ file, dashboard }) => {
    const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
    const targets = panels.flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({ source: `dashboards/${file} "${panel.title}"`, panel: panel.title, expr: substitute(target.expr, dashboard) })),
    );
    const variables = dashboard.templating.list
      .filter((variable) => variable.type === 'query' && variable.definition)
      .map((variable) => {
        const selector = /^label_values\((.*),\s*\w+\)$/.exec(variable.definition!)?.[1];
        if (!selector) throw new Error(`dashboards/${file}: variable ${variable.name} is not label_values(selector, label)`);
        return { source: `dashboards/${file} variable ${variable.name}`, expr: substitute(selector, dashboard) };
      });
    return [...targets, ...variables];
  });
}

/** Every panel target and variable query of every dashboard as written, Grafana's variables left in. */
export function rawDashboardExprs(): (SourcedExpr & { file: string; panel?: string })[] {
  return dashboards().flatMap(({ file, dashboard }) => [
    ...dashboard.panels
      .flatMap((panel) => [panel, ...(panel.panels ?? [])])
      .flatMap((panel) =>
        (panel.targets ?? []).map((target) => ({ file, source: `dashboards/${file} "${panel.title}"`, panel: panel.title, expr: target.expr })),
      ),
    ...dashboard.templating.list
      .filter((variable) => variable.type === 'query' && variable.definition)
      .map((variable) => ({ file, source: `dashboards/${file} variable ${variable.name}`, expr: variable.definition! })),
  ]);
}
