-- One result row per job: workers insert with ON CONFLICT (job_id) DO NOTHING, so a re-run job
-- (stalled, retried) still leaves exactly one row.

CREATE TABLE job_results (
  job_id text PRIMARY KEY,
  queue text NOT NULL,
  organization text NOT NULL,
  dataset_id text REFERENCES datasets (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('clustering', 'team-formation')),
  parameters jsonb NOT NULL,
  -- the full clustering or team-formation result
  result jsonb NOT NULL,
  quality jsonb,
  attempts int NOT NULL,
  duration_ms double precision NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX job_results_organization_created_at_idx ON job_results (organization, created_at);
-- retention deletes by age across organisations
CREATE INDEX job_results_created_at_idx ON job_results (created_at);
-- ON DELETE CASCADE and retention look results up by data set
CREATE INDEX job_results_dataset_id_idx ON job_results (dataset_id);
