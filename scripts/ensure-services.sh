#!/usr/bin/env bash
# Starts Redis and PostgreSQL on 127.0.0.1 when they are not already answering, and installs the
# Debian packages the tests need. Safe to run again: it only does what is missing.
set -euo pipefail

# The tests start Redis nodes of their own (redis-server, redis-cli), talk to PostgreSQL
# (pg_isready), check and run Prometheus, Alertmanager and postgres_exporter (prometheus, promtool,
# amtool, prometheus-postgres-exporter) and open
# reports in headless Chromium: install what a bare Debian machine lacks.
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v pg_isready >/dev/null 2>&1 || missing+=(postgresql-client)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v amtool >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
command -v prometheus-postgres-exporter >/dev/null 2>&1 || missing+=(prometheus-postgres-exporter)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# The multi-host tests (test/multihost/) build hosts as network namespaces (ip) and impair links (nft).
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v nft >/dev/null 2>&1 || missing+=(nftables)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; }
postgres_up() { pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }

if ! redis_up; then
  echo "starting redis on 127.0.0.1:6379"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 50); do redis_up && break; sleep 0.1; done
fi
redis_up && echo "redis: up" || { echo "redis: could not be started" >&2; exit 1; }

if ! postgres_up; then
  echo "starting postgresql on 127.0.0.1:5432"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  for _ in $(seq 100); do postgres_up && break; sleep 0.1; done
fi
postgres_up && echo "postgresql: up" || { echo "postgresql: could not be started" >&2; exit 1; }
