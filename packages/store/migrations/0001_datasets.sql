-- Content-addressed data sets: one row per organisation and canonical content.
-- Runs with search_path set to the target schema: no schema names here.

CREATE TABLE datasets (
  -- hex SHA-256 of organisation + NUL + canonical JSON content
  id text PRIMARY KEY,
  organization text NOT NULL,
  people int NOT NULL,
  -- gzip of the canonical JSON content
  content bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- touched by every put of the same content; retention prunes on it
  last_used_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX datasets_last_used_at_idx ON datasets (last_used_at);
