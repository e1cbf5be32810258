#!/usr/bin/env bash
# Checks the monitoring configuration: Prometheus rules (syntax and `promtool test rules`), the
# Prometheus and Alertmanager configs, Alertmanager's routing, each alert's runbook and tests,
# and the Grafana dashboards. Runs every check, prints each result, and exits non-zero if any
# failed. Needs promtool and amtool (Debian: prometheus, prometheus-alertmanager) and node.
#   bash scripts/check-monitoring.sh
set -uo pipefail
cd "$(dirname "$0")/.."

failures=()
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# step NAME COMMAND...: runs the command, shows its output indented only when it fails.
step() {
  local name=$1
  shift
  if "$@" >"$out" 2>&1; then
    printf 'ok    %s\n' "$name"
  else
    printf 'FAIL  %s\n' "$name"
    sed 's/^/      /' "$out"
    failures+=("$name")
  fi
}

for tool in promtool amtool node; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "FAIL  $tool is not installed (apt-get install prometheus prometheus-alertmanager; node from the README)"
    exit 1
  fi
done

RULE_FILES=(rules/alerts.yml rules/recording.yml rules/slo.yml)
ALERT_FILES=(rules/alerts.yml rules/slo.yml)
alert_names() { sed -n 's/^ *- alert: *\([A-Za-z0-9_]*\).*/\1/p' "${ALERT_FILES[@]}" | sort -u; }

step "rules/slo.yml is what rules/slo/slos.yml generates" \
  node scripts/generate-slo-rules.mjs --check
step "promtool check rules ${RULE_FILES[*]}" \
  promtool check rules "${RULE_FILES[@]}"
step "promtool test rules rules/tests/*.test.yml" \
  promtool test rules rules/tests/*.test.yml
step "promtool check config infra/prometheus/prometheus.yml" \
  promtool check config infra/prometheus/prometheus.yml
step "amtool check-config infra/alertmanager/alertmanager.yml" \
  amtool check-config infra/alertmanager/alertmanager.yml

# Alertmanager routing: labels -> receivers, as docs/operations.md describes it.
route() {
  local expected=$1
  shift
  amtool config routes test --config.file=infra/alertmanager/alertmanager.yml --verify.receivers="$expected" "$@"
}
step "route severity=critical service=api -> insights-responder,paging,developers" route insights-responder,paging,developers severity=critical service=api
step "route severity=critical service=worker -> insights-responder,paging,default" route insights-responder,paging,default severity=critical service=worker
step "route severity=critical service=database -> insights-responder,paging,dba-team" route insights-responder,paging,dba-team severity=critical service=database
step "route severity=warning service=database -> insights-responder,dba-team" route insights-responder,dba-team severity=warning service=database
step "route severity=warning service=system -> insights-responder,infrastructure" route insights-responder,infrastructure severity=warning service=system
step "route severity=warning service=api -> insights-responder,developers" route insights-responder,developers severity=warning service=api
step "route severity=warning service=clustering -> insights-responder,default" route insights-responder,default severity=warning service=clustering

# Every alert: a runbook page that its runbook_url names, and a test where it fires and one where
# it stays silent (an `alertname:` followed by a non-empty and by an empty `exp_alerts`).
check_alert() {
  local name=$1 ok=0
  [ -f "docs/runbooks/$name.md" ] || { echo "docs/runbooks/$name.md is missing"; ok=1; }
  grep -q "runbook_url: https://github.com/observer-coordinator/insights/blob/main/docs/runbooks/$name.md$" "${ALERT_FILES[@]}" ||
    { echo "no runbook_url naming docs/runbooks/$name.md"; ok=1; }
  local kinds
  kinds=$(awk -v name="$name" '
    $1 == "alertname:" { current = ($2 == name); next }
    current && $1 == "exp_alerts:" { print ($2 == "[]" ? "silent" : "firing"); current = 0 }
  ' rules/tests/*.test.yml | sort -u | tr '\n' ' ')
  [[ $kinds == *firing* ]] || { echo "no test where $name fires"; ok=1; }
  [[ $kinds == *silent* ]] || { echo "no test where $name stays silent"; ok=1; }
  return $ok
}
count=0
for name in $(alert_names); do
  count=$((count + 1))
  step "alert $name: runbook, firing and silent tests" check_alert "$name"
done
[ "$count" -gt 0 ] || { echo "FAIL  no alerts found in ${ALERT_FILES[*]}"; failures+=("alerts"); }

# Dashboards: valid JSON, a `datasource` variable of type datasource (prometheus), every
# datasource reference through it (never a hard-coded uid), every target with an expression.
check_dashboard() {
  node --input-type=module - "$1" <<'EOF'
import { readFileSync } from 'node:fs';
const file = process.argv[2];
const problems = [];
let dashboard;
try {
  dashboard = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log(`not valid JSON: ${error.message}`);
  process.exit(1);
}
const variable = dashboard.templating?.list?.find((v) => v.name === 'datasource');
if (!variable) problems.push('no templating variable named "datasource"');
else if (variable.type !== 'datasource' || variable.query !== 'prometheus')
  problems.push(`variable "datasource" must be type datasource with query prometheus, is ${variable.type}/${variable.query}`);
if (!dashboard.uid || !dashboard.title) problems.push('uid and title are required');
if (typeof dashboard.schemaVersion !== 'number') problems.push('schemaVersion is missing');
if ('id' in dashboard && dashboard.id !== null) problems.push('id must be null (Grafana assigns it on import)');
const visit = (node, path) => {
  if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${path}[${i}]`));
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'datasource' && path !== '') {
      const uid = typeof value === 'string' ? value : value?.uid;
      if (uid !== '${datasource}' && uid !== '$datasource') problems.push(`${path}.datasource is ${JSON.stringify(value)}, not the $datasource variable`);
    }
    visit(value, `${path}.${key}`);
  }
};
visit({ ...dashboard, templating: { list: (dashboard.templating?.list ?? []).filter((v) => v.name !== 'datasource') } }, '');
const panels = (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
const ids = new Set();
for (const panel of panels) {
  if (ids.has(panel.id)) problems.push(`panel id ${panel.id} is used twice`);
  ids.add(panel.id);
  if (panel.type === 'row') continue;
  if (!panel.targets?.length) problems.push(`panel "${panel.title}" has no targets`);
  for (const target of panel.targets ?? []) if (!target.expr?.trim()) problems.push(`panel "${panel.title}" has a target without expr`);
}
if (panels.filter((p) => p.type !== 'row').length === 0) problems.push('no panels');
for (const problem of problems) console.log(problem);
process.exit(problems.length > 0 ? 1 : 0);
EOF
}
dashboards=(dashboards/*.json)
[ -e "${dashboards[0]}" ] || { echo "FAIL  no dashboards in dashboards/"; failures+=("dashboards"); dashboards=(); }
for dashboard in "${dashboards[@]}"; do
  step "dashboard $dashboard" check_dashboard "$dashboard"
done

echo
if [ ${#failures[@]} -gt 0 ]; then
  echo "check-monitoring: ${#failures[@]} check(s) failed:"
  printf '  %s\n' "${failures[@]}"
  exit 1
fi
echo "check-monitoring: all checks passed"
