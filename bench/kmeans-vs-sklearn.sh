#!/usr/bin/env bash
# Whole-command wall-clock time of k-means on 100,000 synthetic people: the Node CLI
# (`insights cluster --method kmeans`) against scikit-learn's KMeans (bench/kmeans_sklearn.py).
# Each command runs RUNS times (default 3) and the median is reported; then one more untimed run
# of each checks that both found the same partition (adjusted Rand index between them).
# Prints one JSON document on stdout; progress goes to stderr.
#
# Run from anywhere: bench/kmeans-vs-sklearn.sh
# Environment: ROWS=100000 RUNS=3 K=4, NODE_ARGS (extra CLI options, e.g. "--stability-runs 0"),
# CLI (default packages/cli/dist/main.js).
set -euo pipefail

cd "$(dirname "$0")/.."
ROWS="${ROWS:-100000}"
RUNS="${RUNS:-3}"
K="${K:-4}"
CLI="${CLI:-packages/cli/dist/main.js}"
read -r -a NODE_ARGS <<<"${NODE_ARGS:-}"
PYTHON=/usr/bin/python3
OUT=bench/out
CSV="$OUT/kmeans-$ROWS.csv"

fail() { echo "kmeans-vs-sklearn: $*" >&2; exit 1; }

[ -f "$CLI" ] || fail "$CLI is missing: build the CLI first with 'npm run build'"
[ -x /usr/bin/time ] || fail "/usr/bin/time is missing (Debian package 'time')"
"$PYTHON" -c 'import sklearn, numpy' 2>/dev/null ||
  fail "$PYTHON cannot import sklearn and numpy (Debian package python3-sklearn)"

mkdir -p "$OUT"
if [ ! -s "$CSV" ]; then
  echo "writing $CSV ($ROWS synthetic people)" >&2
  npx tsx bench/make-csv.ts "$CSV" "$ROWS" separated 1
fi

tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT

# Wall-clock seconds of one run of the command given; its stdout is discarded.
wall() {
  if ! /usr/bin/time -f %e -o "$tmp" "$@" >/dev/null; then
    cat "$tmp" >&2
    fail "command failed: $*"
  fi
  tail -n 1 "$tmp"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

node_cmd=(node "$CLI" cluster "$CSV" --method kmeans --clusters "$K" --format json "${NODE_ARGS[@]}")
python_cmd=("$PYTHON" bench/kmeans_sklearn.py "$CSV" "$K")

node_times=()
python_times=()
for run in $(seq "$RUNS"); do
  echo "run $run/$RUNS" >&2
  node_times+=("$(wall "${node_cmd[@]}")")
  python_times+=("$(wall "${python_cmd[@]}")")
done

"${node_cmd[@]}" >"$OUT/kmeans-node.json"
"${python_cmd[@]}" >"$OUT/kmeans-sklearn.json"
agreement="$("$PYTHON" - "$OUT/kmeans-node.json" "$OUT/kmeans-sklearn.json" <<'PY'
import json, sys
from sklearn.metrics import adjusted_rand_score
node, sk = ({a["employee_id"]: a["cluster"] for a in json.load(open(p))["assignments"]} for p in sys.argv[1:3])
ids = sorted(node)
assert ids == sorted(sk), "the two commands assigned different people"
print(round(adjusted_rand_score([node[i] for i in ids], [sk[i] for i in ids]), 6))
PY
)"

node_s="$(median "${node_times[@]}")"
python_s="$(median "${python_times[@]}")"
ratio="$(awk -v p="$python_s" -v n="$node_s" 'BEGIN { printf "%.2f", p / n }')"
join() { local IFS=,; echo "$*"; }

cat <<JSON
{
  "benchmark": "kmeans-vs-sklearn",
  "rows": $ROWS,
  "k": $K,
  "runs": $RUNS,
  "node_seconds": $node_s,
  "python_seconds": $python_s,
  "ratio": $ratio,
  "ratio_meaning": "python_seconds / node_seconds (above 1: the Node CLI is faster)",
  "node_seconds_runs": [$(join "${node_times[@]}")],
  "python_seconds_runs": [$(join "${python_times[@]}")],
  "partition_agreement_ari": $agreement,
  "node_command": "${node_cmd[*]}",
  "python_command": "${python_cmd[*]}",
  "cpus": $(nproc),
  "loadavg_1m": $(cut -d' ' -f1 /proc/loadavg),
  "note": "whole commands, wall clock, median of runs: includes process start-up, reading and parsing the CSV and writing JSON; the Node CLI also computes its quality scores (silhouette, Calinski-Harabasz, Davies-Bouldin, bootstrap stability), scikit-learn only fits"
}
JSON
