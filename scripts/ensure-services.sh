#!/usr/bin/env bash
# What running the fleet needs on this machine: Redis and PostgreSQL answering on 127.0.0.1.
# Installs their Debian packages when the servers are missing altogether, starts them when they
# are installed but stopped, and leaves them alone when they already answer. Safe to run again.
# Test-only tools (Prometheus, Alertmanager, Chromium …) are scripts/ensure-test-tools.sh's job.
set -euo pipefail
here=$(dirname "$0")
# shellcheck source=scripts/lib/apt.sh
. "$here/lib/apt.sh"

redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; }
postgres_up() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }

# pg_ctlcluster comes with postgresql-common, which every Debian PostgreSQL server package pulls in.
postgres_server_installed() { command -v pg_ctlcluster >/dev/null 2>&1 && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; }

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v pg_isready >/dev/null 2>&1 || missing+=(postgresql-client)
installed_postgres=false
if ! postgres_up && ! postgres_server_installed; then
  missing+=(postgresql)
  installed_postgres=true
fi
apt_install "${missing[@]}"

if ! redis_up; then
  echo "starting redis on 127.0.0.1:6379"
  # Nothing is kept on disk: a development Redis (the queues are rebuilt by resubmitting).
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 50); do redis_up && break; sleep 0.1; done
fi
redis_up && echo "redis: up" || { echo "redis: could not be started on 127.0.0.1:6379" >&2; exit 1; }

if $installed_postgres || ! postgres_up; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] || { echo "postgresql: no cluster under /etc/postgresql to start" >&2; exit 1; }
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  # Debian's own cluster asks for a password on 127.0.0.1; the fleet and the tests connect as
  # `postgres` without one. Only a server this script installed is opened to trust, and only on
  # the loopback addresses: an existing server keeps the authentication its owner chose.
  if $installed_postgres && [ -f "$hba" ] && ! grep -q '^# insights: trust on loopback' "$hba"; then
    { echo '# insights: trust on loopback (added by scripts/ensure-services.sh for local development)'
      echo 'host all all 127.0.0.1/32 trust'
      echo 'host all all ::1/128 trust'
      cat "$hba"; } > "$hba.new"
    # Written in place, so the file keeps the owner and mode the package gave it.
    cat "$hba.new" > "$hba" && rm "$hba.new"
    # The package may have started the cluster already: make it read the new rules.
    if postgres_up; then pg_ctlcluster --skip-systemctl-redirect "$version" main reload; fi
  fi
  if ! postgres_up; then
    echo "starting postgresql $version on 127.0.0.1:5432"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 100); do postgres_up && break; sleep 0.1; done
  fi
fi
postgres_up && echo "postgresql: up" || { echo "postgresql: could not be started on 127.0.0.1:5432" >&2; exit 1; }
