-- The HTTP API's tables: bearer tokens (hashed), an index of the jobs each organisation submitted
-- (so that listing never scans Redis), and the audit log. No personal data in any of them.

CREATE TABLE api_tokens (
  -- public identifier, `tok_` + 16 hex digits: safe to log and to print
  id text PRIMARY KEY,
  organization text NOT NULL,
  -- a label for people (`ci`, `reporting service`); never the token
  name text NOT NULL DEFAULT '',
  -- hex SHA-256 of the whole token text; the token itself is never stored
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- set once by `insights token revoke`; a revoked token is refused at once
  revoked_at timestamptz,
  -- touched at most once a minute per token
  last_used_at timestamptz
);

CREATE INDEX api_tokens_organization_idx ON api_tokens (organization, created_at);

CREATE TABLE api_jobs (
  job_id text PRIMARY KEY,
  -- insertion order: the listing's keyset cursor
  seq bigserial NOT NULL UNIQUE,
  organization text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('clustering', 'team-formation')),
  queue text NOT NULL,
  -- no foreign key: retention may prune the data set before the index row
  dataset_id text NOT NULL,
  -- the clustering job a team formation submitted as a flow runs first
  child_job_id text,
  people int NOT NULL,
  token_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX api_jobs_organization_seq_idx ON api_jobs (organization, seq DESC);
-- deleting a job keeps its data set while another indexed job refers to it
CREATE INDEX api_jobs_dataset_id_idx ON api_jobs (dataset_id);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  token_id text,
  organization text,
  action text NOT NULL CHECK (action IN ('submit', 'read', 'list', 'cancel', 'delete', 'token_refused')),
  job_id text,
  -- `ok`, or the problem's code (`NOT_FOUND`, `INVALID_INPUT` …), or why a token was refused
  outcome text NOT NULL,
  request_id text
);

CREATE INDEX audit_log_organization_at_idx ON audit_log (organization, at);
CREATE INDEX audit_log_job_id_idx ON audit_log (job_id);
