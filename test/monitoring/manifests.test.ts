import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { dump, load, loadAll } from 'js-yaml';

/** The k8s manifests, compose file and Prometheus config agree with each other and with the processes. */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');

// Loose shapes: the parts of the manifests these checks read.
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function k8sDocs(): Doc[] {
  return readdirSync(`${ROOT}infra/k8s`)
    .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml' && file !== 'prometheus-adapter-rules.yaml')
    .flatMap((file) => (loadAll(read(`infra/k8s/${file}`)) as Doc[]).filter(Boolean).map((doc) => ({ ...doc, file })));
}

const docs = k8sDocs();
const find = (kind: string, name: string) => {
  const doc = docs.find((d) => d.kind === kind && d.metadata?.name === name);
  if (!doc) throw new Error(`no ${kind} ${name} in infra/k8s`);
  return doc;
};
const config = find('ConfigMap', 'insights-config').data as Record<string, string>;
const GiB = 1024 ** 3;
const bytes = (quantity: string) => {
  const match = /^(\d+(?:\.\d+)?)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`unexpected memory quantity ${quantity}`);
  return Number(match[1]) * (match[2] === 'Gi' ? GiB : 1024 ** 2);
};

describe('infra/k8s', () => {
  const deployments = {
    'insights-api': { job: 'insights-api', metricsPort: Number(config.INSIGHTS_METRICS_PORT) },
    'insights-worker': { job: 'insights-worker', metricsPort: Number(config.WORKER_METRICS_PORT) },
    'insights-exporter': { job: 'insights-exporter', metricsPort: Number(config.INSIGHTS_EXPORTER_PORT) },
  } as const;

  for (const [name, expected] of Object.entries(deployments)) {
    describe(`Deployment ${name}`, () => {
      const deployment = find('Deployment', name);
      const pod = deployment.spec.template;
      const container = pod.spec.containers[0];

      it('selects its own pods', () => {
        for (const [key, value] of Object.entries(deployment.spec.selector.matchLabels)) expect(pod.metadata.labels[key]).to.equal(value);
      });

      it('has liveness and readiness probes on a declared port, resources and the shared config', () => {
        const ports = new Set(container.ports.map((p: Doc) => p.name));
        for (const probe of ['livenessProbe', 'readinessProbe']) {
          expect(container[probe]?.httpGet?.path, `${probe} path`).to.match(/^\//);
          expect(ports.has(container[probe].httpGet.port), `${probe} port ${container[probe].httpGet.port}`).to.equal(true);
        }
        expect(container.resources.requests.cpu).to.be.a('string');
        expect(container.resources.requests.memory).to.be.a('string');
        expect(container.resources.limits.memory).to.be.a('string');
        expect(container.envFrom.map((e: Doc) => e.configMapRef?.name)).to.include('insights-config');
      });

      it('announces its metrics port and Prometheus job in the pod annotations', () => {
        expect(Number(pod.metadata.annotations['prometheus.io/port'])).to.equal(expected.metricsPort);
        expect(container.ports.map((p: Doc) => p.containerPort)).to.include(expected.metricsPort);
        expect(pod.metadata.annotations['insights.observer-coordinator.io/prometheus-job']).to.equal(expected.job);
      });

      it('has a Service whose selector and target ports match', () => {
        const service = find('Service', name);
        for (const [key, value] of Object.entries(service.spec.selector)) expect(pod.metadata.labels[key]).to.equal(value);
        const ports = new Set(container.ports.map((p: Doc) => p.name));
        for (const port of service.spec.ports) expect(ports.has(port.targetPort), `targetPort ${port.targetPort}`).to.equal(true);
      });
    });
  }

  it('probes the health endpoints each process serves', () => {
    const api = find('Deployment', 'insights-api').spec.template.spec.containers[0];
    expect(api.livenessProbe.httpGet.path).to.equal('/api/health/live');
    expect(api.readinessProbe.httpGet.path).to.equal('/api/health/ready');
    const worker = find('Deployment', 'insights-worker').spec.template.spec.containers[0];
    expect(worker.readinessProbe.httpGet.path).to.equal('/health');
    const exporter = find('Deployment', 'insights-exporter').spec.template.spec.containers[0];
    expect(exporter.livenessProbe.httpGet.path).to.equal('/health');
  });

  it('gives workers a termination grace period above the drain timeout', () => {
    const grace = find('Deployment', 'insights-worker').spec.template.spec.terminationGracePeriodSeconds;
    expect(grace * 1000).to.be.greaterThan(Number(config.WORKER_DRAIN_TIMEOUT_MS) + 10_000);
  });

  it('runs one exporter (its counters are per process)', () => {
    expect(find('Deployment', 'insights-exporter').spec.replicas).to.equal(1);
  });

  it('keeps HighMemoryUsage at 80% of the memory limits', () => {
    const alerts = read('rules/alerts.yml');
    const limit = (name: string) => bytes(find('Deployment', name).spec.template.spec.containers[0].resources.limits.memory);
    expect(limit('insights-worker')).to.equal(6 * GiB);
    expect(alerts).to.include('process_resident_memory_bytes{job="insights-worker"} > 0.8 * 6 * 1024 * 1024 * 1024');
    expect(limit('insights-api')).to.equal(GiB);
    expect(limit('insights-exporter')).to.equal(GiB);
    expect(alerts).to.include('process_resident_memory_bytes{job=~"insights-api|insights-exporter"} > 0.8 * 1024 * 1024 * 1024');
  });

  it('has a PodDisruptionBudget over the workers', () => {
    const pdb = find('PodDisruptionBudget', 'insights-worker');
    const labels = find('Deployment', 'insights-worker').spec.template.metadata.labels;
    for (const [key, value] of Object.entries(pdb.spec.selector.matchLabels)) expect(labels[key]).to.equal(value);
    expect(pdb.spec.maxUnavailable ?? pdb.spec.minAvailable).to.not.equal(undefined);
  });

  it('scales workers with KEDA on the exporter queue depth, or with an HPA on the same demand', () => {
    const keda = find('ScaledObject', 'insights-worker');
    expect(keda.spec.scaleTargetRef.name).to.equal('insights-worker');
    const trigger = keda.spec.triggers[0];
    expect(trigger.type).to.equal('prometheus');
    expect(trigger.metadata.query).to.include('insights_queue_jobs{job="insights-exporter"');
    expect(Number(trigger.metadata.threshold)).to.be.greaterThan(0);
    const hpa = find('HorizontalPodAutoscaler', 'insights-worker');
    expect(hpa.spec.scaleTargetRef.name).to.equal('insights-worker');
    expect(hpa.spec.metrics[0].type).to.equal('External');
    const adapter = load(read('infra/k8s/prometheus-adapter-rules.yaml')) as Doc;
    expect(adapter.rules.external[0].name.as).to.equal(hpa.spec.metrics[0].external.metric.name);
  });

  it('scales on the ready jobs of running queues and the running jobs of all, never on a paused queue’s backlog or another namespace’s (promtool)', () => {
    const keda = find('ScaledObject', 'insights-worker').spec.triggers[0].metadata.query as string;
    const adapter = (load(read('infra/k8s/prometheus-adapter-rules.yaml')) as Doc).rules.external[0].metricsQuery as string;
    // prometheus-adapter's templates as it fills them for the HPA's namespace
    const adapterQuery = adapter.replaceAll('<<.LabelMatchers>>', 'namespace="insights"').replaceAll('<<.GroupBy>>', 'namespace');
    const labels = (queue: string) => `job="insights-exporter", instance="exporter:9464", namespace="insights", queue="${queue}"`;
    const series = (name: string, queue: string, values: string, state?: string) => ({
      series: `${name}{${labels(queue)}${state ? `, state="${state}"` : ''}}`,
      values,
    });
    const input = [
      // clustering: paused by the responder with 30 + 5 ready jobs, 2 still running
      series('insights_queue_jobs', 'clustering', '30x10', 'waiting'),
      series('insights_queue_jobs', 'clustering', '5x10', 'prioritized'),
      series('insights_queue_jobs', 'clustering', '2x10', 'active'),
      series('insights_queue_jobs', 'clustering', '40x10', 'delayed'),
      series('insights_queue_paused', 'clustering', '1x10'),
      // team-formation: running, 6 ready and 1 running
      series('insights_queue_jobs', 'team-formation', '6x10', 'waiting'),
      series('insights_queue_jobs', 'team-formation', '0x10', 'prioritized'),
      series('insights_queue_jobs', 'team-formation', '1x10', 'active'),
      series('insights_queue_paused', 'team-formation', '0x10'),
      // the same Prometheus scrapes staging, with a backlog of its own: never counted here
      {
        series: 'insights_queue_jobs{job="insights-exporter", instance="exporter:9464", namespace="staging", queue="team-formation", state="waiting"}',
        values: '100x10',
      },
      { series: 'insights_queue_paused{job="insights-exporter", instance="exporter:9464", namespace="staging", queue="team-formation"}', values: '0x10' },
    ];
    const dir = mkdtempSync(join(tmpdir(), 'autoscaler-queries-'));
    try {
      writeFileSync(join(dir, 'empty.yml'), 'groups: []\n');
      const test = {
        rule_files: ['empty.yml'],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: input,
            promql_expr_test: [
              { expr: keda, eval_time: '5m', exp_samples: [{ labels: '{}', value: 9 }] },
              { expr: adapterQuery, eval_time: '5m', exp_samples: [{ labels: '{namespace="insights"}', value: 9 }] },
            ],
          },
        ],
      };
      writeFileSync(join(dir, 'queries.test.yml'), dump(test));
      const run = spawnSync('promtool', ['test', 'rules', 'queries.test.yml'], { cwd: dir, encoding: 'utf8' });
      expect(run.status, `promtool test rules:\n${run.stdout}${run.stderr}`).to.equal(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('applies every manifest with kustomize except the alternatives (never KEDA and the HPA together)', () => {
    const kustomization = load(read('infra/k8s/kustomization.yaml')) as Doc;
    const resources = kustomization.resources as string[];
    for (const resource of resources)
      expect(
        docs.some((d) => d.file === resource),
        resource,
      ).to.equal(true);
    expect(resources).to.include('keda-scaledobject.yaml');
    expect(resources).not.to.include('hpa-external.yaml');
    expect(resources).not.to.include('secret.example.yaml');
  });
});

describe('infra/compose and infra/prometheus', () => {
  const compose = load(read('infra/compose/compose.yaml')) as Doc;
  const prometheus = load(read('infra/prometheus/prometheus.yml')) as Doc;
  const jobs = new Map<string, Doc>(prometheus.scrape_configs.map((job: Doc) => [job.job_name, job]));

  it('runs the whole stack', () => {
    expect(Object.keys(compose.services)).to.include.members([
      'redis',
      'postgres',
      'api',
      'worker',
      'exporter',
      'prometheus',
      'alertmanager',
      'grafana',
      'postgres-exporter',
    ]);
  });

  it('scrapes the four jobs the rules and dashboards select on, at the ports the processes listen on', () => {
    expect([...jobs.keys()]).to.include.members(['insights-api', 'insights-worker', 'insights-exporter', 'postgres']);
    const api = compose.services.api.environment;
    expect(jobs.get('insights-api')!.static_configs[0].targets).to.deep.equal([`api:${api.INSIGHTS_METRICS_PORT}`]);
    const exporter = compose.services.exporter.environment;
    expect(jobs.get('insights-exporter')!.static_configs[0].targets).to.deep.equal([`exporter:${exporter.INSIGHTS_EXPORTER_PORT}`]);
    const worker = jobs.get('insights-worker')!.dns_sd_configs[0];
    expect(worker.names).to.deep.equal(['worker']);
    expect(worker.port).to.equal(Number(compose.services.worker.environment.WORKER_METRICS_PORT));
    expect(jobs.get('postgres')!.static_configs[0].targets[0]).to.match(/^postgres-exporter:/);
  });

  it('mounts the rules where prometheus.yml looks for them', () => {
    const volumes = compose.services.prometheus.volumes as string[];
    const mount = (source: string) => volumes.find((v) => v.startsWith(`${source}:`))?.split(':')[1];
    const configPath = mount('../prometheus/prometheus.yml')!;
    const rulesPath = mount('../../rules')!;
    expect(configPath).to.equal('/etc/prometheus/prometheus.yml');
    for (const file of prometheus.rule_files as string[]) {
      const inContainer = posix.resolve(posix.dirname(configPath), file);
      expect(inContainer.startsWith(`${rulesPath}/`), `${file} resolves to ${inContainer}`).to.equal(true);
      expect(readdirSync(`${ROOT}rules`)).to.include(posix.basename(file));
    }
  });

  it('sends alerts to the compose Alertmanager and provisions the dashboards in Grafana', () => {
    expect(prometheus.alerting.alertmanagers[0].static_configs[0].targets).to.deep.equal(['alertmanager:9093']);
    const volumes = compose.services.grafana.volumes as string[];
    const dashboards = volumes.find((v) => v.startsWith('../../dashboards:'))!.split(':')[1];
    const provider = load(read('infra/compose/grafana/provisioning/dashboards/insights.yaml')) as Doc;
    expect(provider.providers[0].options.path).to.equal(dashboards);
    expect(volumes).to.include('./grafana/provisioning:/etc/grafana/provisioning:ro');
  });

  it('gives workers a stop grace period above the drain timeout, and lets them scale', () => {
    const worker = compose.services.worker;
    expect(Number(/^(\d+)s$/.exec(worker.stop_grace_period)![1]) * 1000).to.be.greaterThan(Number(worker.environment.WORKER_DRAIN_TIMEOUT_MS));
    expect(worker.ports, 'a published port would stop --scale').to.equal(undefined);
    expect(worker.container_name).to.equal(undefined);
  });
});
