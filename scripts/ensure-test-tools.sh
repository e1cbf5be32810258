#!/usr/bin/env bash
# What the tests need beyond the running services: the `test` database, and the Debian packages
# the end-to-end tests drive — Prometheus and promtool, Alertmanager and amtool, postgres_exporter
# and redis_exporter,
# Chromium for the report and queue-view pages. Runs first in `npm test`; installs only what is
# missing, so it costs nothing on a machine that has them.
set -euo pipefail
here=$(dirname "$0")
# shellcheck source=scripts/lib/apt.sh
. "$here/lib/apt.sh"

bash "$here/ensure-services.sh"

missing=()
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v amtool >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
command -v prometheus-postgres-exporter >/dev/null 2>&1 || missing+=(prometheus-postgres-exporter)
command -v prometheus-redis-exporter >/dev/null 2>&1 || missing+=(prometheus-redis-exporter)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# The multi-host tests (test/multihost/) build hosts as network namespaces (ip) and impair links (nft).
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v nft >/dev/null 2>&1 || missing+=(nftables)
apt_install "${missing[@]}"

# The tests' database; the fleet itself uses `postgres`.
if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1 from pg_database where datname = 'test'" | grep -q 1; then
  echo "creating database test"
  psql -h 127.0.0.1 -U postgres -d postgres -qc 'create database test'
fi
echo "test tools: ready"
