import { expect } from 'chai';
import { dashboardExprs, metricNames, rawDashboardExprs, ruleExprs } from './promql.js';

describe('monitoring: metric names in PromQL expressions', () => {
  it('finds selected metrics and leaves out functions, labels, strings, durations and keywords', () => {
    const expr = `sum by (job) (rate(api_requests_total{job="insights-api", status_code=~"5.."}[5m]))
      / (sum by (job) (rate(api_requests_total{job="insights-api"}[5m])) > 0) > 0.05`;
    expect(metricNames(expr)).to.deep.equal(['api_requests_total']);
  });

  it('finds every metric of a compound rule, recording rule names included', () => {
    const expr = `label_replace(
        (sum by (queue) (insights_queue_jobs{state="active"}) > 0)
        unless on (queue) (sum by (queue) (increase(insights_worker_jobs_processed_total[20m])) > 0),
        "reason", "no-progress", "queue", ".*")
      or deriv(queue:insights_queue_jobs_waiting:sum[15m:1m]) > 0
      and on (queue) clamp_min(queue:insights_queue_workers:max, 1) > 5.1e9
      or absent(up{job="insights-exporter"}) or histogram_quantile(0.95, sum(rate(x_bucket[1m])) by (le))`;
    expect(metricNames(expr)).to.deep.equal([
      'insights_queue_jobs',
      'insights_worker_jobs_processed_total',
      'queue:insights_queue_jobs_waiting:sum',
      'queue:insights_queue_workers:max',
      'up',
      'x_bucket',
    ]);
  });

  it('reads every rule and every dashboard target, each naming at least one metric', () => {
    const exprs = [...ruleExprs(), ...dashboardExprs()];
    expect(exprs.length).to.be.greaterThan(60);
    // A constant recorded on purpose (slo:objective:ratio, `vector(0.995)`) names no metric.
    const constant = /^vector\(\d+(\.\d+)?\)$/;
    for (const { source, expr } of exprs) if (!constant.test(expr.trim())) expect(metricNames(expr), source).to.have.length.greaterThan(0);
    expect(exprs.filter(({ expr }) => constant.test(expr.trim())).map(({ source }) => source.split(' ')[1])).to.satisfy((names: string[]) =>
      names.every((name) => name === 'slo:objective:ratio'),
    );
    // every Grafana variable substituted (rules may use $1 in label_replace)
    for (const { source, expr } of dashboardExprs()) expect(expr, source).not.to.match(/\$/);
  });

  it('keeps every dashboard query to the chosen namespace', () => {
    const exprs = rawDashboardExprs();
    expect(exprs.length).to.be.greaterThan(60);
    for (const { source, expr } of exprs) {
      // The namespace variable itself lists every namespace.
      if (source.endsWith('variable namespace')) continue;
      // every selector filters on it, and no recording rule is read bare (without a selector), but
      // for slo:objective:ratio, a constant per SLO that is the same in every namespace
      for (const selector of expr.matchAll(/[a-zA-Z_:][\w:]*\{([^}]*)\}/g)) expect(selector[1], source).to.match(/namespace=~"\$namespace\|?"/);
      const bare = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""').replaceAll('slo:objective:ratio', '');
      expect(bare, source).not.to.match(/[a-zA-Z_][\w]*:[\w:]*(?![\w:{])/);
      if (!source.includes(' variable ')) expect(metricNames(expr).length, source).to.be.greaterThan(0);
    }
  });

  it('uses $__rate_interval for every range, except a stat over the window its title names', () => {
    for (const { source, panel, expr } of rawDashboardExprs()) {
      const fixed = expr.match(/\[\d+[smhd]\]/g) ?? [];
      if (/\(1 h\)|last hour/.test(panel ?? ''))
        expect(
          fixed.every((window) => window === '[1h]'),
          source,
        ).to.equal(true);
      else expect(fixed, source).to.deep.equal([]);
    }
  });
});
