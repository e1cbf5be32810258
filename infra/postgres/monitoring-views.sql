-- Monitoring views for operators, created in the schema of the project's tables (psql variable
-- `schema`, the DATABASE_SCHEMA of the fleet). Safe to run again: every view is replaced.
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -v schema=public -f infra/postgres/monitoring-views.sql
-- Needs the tables to exist (`insights migrate` first). See infra/postgres/README.md.

\if :{?schema}
\else
  DO $$ BEGIN RAISE EXCEPTION 'set the schema of the tables: psql -v ON_ERROR_STOP=1 -v schema=public -f infra/postgres/monitoring-views.sql'; END $$;
  \quit
\endif

BEGIN;

-- Connections of client backends, by database, application and state. `application` is the
-- pool's application_name (`insights` by default, see @insights/store createPool).
CREATE OR REPLACE VIEW :"schema".monitoring_connections AS
SELECT
  coalesce(datname, '') AS database,
  coalesce(application_name, '') AS application,
  coalesce(state, 'unknown') AS state,
  count(*) AS connections,
  count(*) FILTER (WHERE wait_event IS NOT NULL) AS waiting,
  greatest(max(now() - state_change), interval '0') AS longest_in_state
FROM pg_stat_activity
WHERE backend_type = 'client backend'
GROUP BY 1, 2, 3;

-- All connections against max_connections: what DatabaseConnectionHigh alerts on (above 0.8),
-- minus the connections superuser_reserved_connections keeps back.
CREATE OR REPLACE VIEW :"schema".monitoring_connection_usage AS
SELECT
  count(*) AS connections,
  current_setting('max_connections')::int AS max_connections,
  current_setting('superuser_reserved_connections')::int AS reserved_connections,
  round(count(*)::numeric / current_setting('max_connections')::int, 3) AS used_share
FROM pg_stat_activity
WHERE backend_type = 'client backend';

-- Every statement running, or transaction open, in another session, oldest first. The text is cut
-- to 200 characters; the fleet's queries carry values as parameters, never inline.
CREATE OR REPLACE VIEW :"schema".monitoring_active_queries AS
SELECT
  pid,
  datname AS database,
  usename AS username,
  application_name AS application,
  client_addr,
  state,
  now() - query_start AS query_age,
  now() - xact_start AS transaction_age,
  wait_event_type,
  wait_event,
  left(query, 200) AS query
FROM pg_stat_activity
WHERE backend_type = 'client backend'
  AND state IS DISTINCT FROM 'idle'
  AND pid <> pg_backend_pid()
ORDER BY coalesce(xact_start, query_start);

-- The long-running ones: a statement or transaction older than 5 minutes. A transaction left
-- `idle in transaction` holds locks and keeps vacuum from cleaning up; cancel a query with
-- pg_cancel_backend(pid), end the session with pg_terminate_backend(pid).
CREATE OR REPLACE VIEW :"schema".monitoring_long_running_queries AS
SELECT *
FROM :"schema".monitoring_active_queries
WHERE greatest(query_age, transaction_age) > interval '5 minutes';

-- Size of every table of the schema (datasets, job_results, schema_migrations and whatever later
-- migrations add), largest first. `toast_bytes` is where datasets.content (gzip) lives.
CREATE OR REPLACE VIEW :"schema".monitoring_table_sizes AS
SELECT
  c.relname AS table_name,
  coalesce(s.n_live_tup, 0) AS live_rows,
  coalesce(s.n_dead_tup, 0) AS dead_rows,
  pg_total_relation_size(c.oid) AS total_bytes,
  pg_relation_size(c.oid) AS table_bytes,
  pg_indexes_size(c.oid) AS index_bytes,
  CASE WHEN c.reltoastrelid = 0 THEN 0 ELSE pg_total_relation_size(c.reltoastrelid) END AS toast_bytes,
  pg_size_pretty(pg_total_relation_size(c.oid)) AS total_size,
  s.last_autovacuum,
  s.last_autoanalyze
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
WHERE n.nspname = :'schema'
  AND c.relkind IN ('r', 'p')
ORDER BY pg_total_relation_size(c.oid) DESC, c.relname;

-- Results stored per day and kind over the last 30 days, with run times: what retention
-- (`insights prune`) will remove, and how long jobs took.
CREATE OR REPLACE VIEW :"schema".monitoring_job_results_by_day AS
SELECT
  date_trunc('day', created_at) AS day,
  kind,
  count(*) AS results,
  count(DISTINCT organization) AS organizations,
  round(avg(duration_ms)::numeric, 1) AS mean_duration_ms,
  round((percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms))::numeric, 1) AS p95_duration_ms,
  sum(attempts - 1) AS retries
FROM :"schema".job_results
WHERE created_at > now() - interval '30 days'
GROUP BY 1, 2
ORDER BY 1 DESC, 2;

COMMIT;
